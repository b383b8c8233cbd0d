# The same one way as in Chinese (see zh_Hans).
from gongjia.formats.zh_Hans.formats import *  # noqa: F403
