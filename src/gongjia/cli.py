"""The `gongjia` command for operators.

    gongjia serve [--host H] [--port N] [--with-worker]
    gongjia worker
    gongjia demo [--scale district] [--if-empty]
    gongjia units [--kind KIND] [--json]
    gongjia user add NAME --role ROLE --unit UNIT_CODE --password-stdin [--full-name N]
    gongjia user list | gongjia user disable NAME
    gongjia manage <django command> ...

The database comes from DATABASE_URL (default: SQLite under var/).
"""

import os
import sys


def _setup():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gongjia.settings")
    import django

    django.setup()


def main(argv=None):
    argv = list(sys.argv[1:] if argv is None else argv)
    if not argv or argv[0] in ("-h", "--help", "help"):
        print(__doc__.strip())
        return 0
    command, rest = argv[0], argv[1:]
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gongjia.settings")
    from django.core.management import execute_from_command_line

    if command == "manage":
        execute_from_command_line(["gongjia manage", *rest])
        return 0
    mapping = {
        "serve": "serve",
        "worker": "worker",
        "demo": "demo",
        "units": "units",
        "user": "user",
        "import": "import_data",
        "export": "export_data",
    }
    if command not in mapping:
        print(f"gongjia: unknown command {command!r}\n\n{__doc__.strip()}", file=sys.stderr)
        return 2
    _setup()
    from django.core.management import get_commands, load_command_class

    name = mapping[command]
    # Run the command under the name the operator typed, so its usage and errors read
    # "gongjia import ..." (execute_from_command_line makes it "gongjia import import_data").
    handler = load_command_class(get_commands()[name], name)
    try:
        handler.run_from_argv(["gongjia", command, *rest])
    except KeyboardInterrupt:
        return 130
    return 0


if __name__ == "__main__":
    sys.exit(main())
