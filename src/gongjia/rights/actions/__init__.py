"""The only code that writes rights-protection records: the network, dispute cases, collective
negotiations and harmony evaluations (each in its module, all reachable as
`rights.actions.<name>`)."""

from gongjia.rights.actions.cases import *  # noqa: F403
from gongjia.rights.actions.harmony import *  # noqa: F403
from gongjia.rights.actions.negotiations import *  # noqa: F403
from gongjia.rights.actions.network import *  # noqa: F403
