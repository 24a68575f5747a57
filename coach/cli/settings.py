"""The config commands: show, set, unset."""

from __future__ import annotations

import click

from coach.cli.base import cli, echo, setting_options
from coach.core.errors import InputError
from coach.storage.config import SETTINGS


@cli.group(name="config")
@click.pass_context
def config_group(ctx: click.Context) -> None:
    """Settings you set once: voice, rate, volume, tones, the leg that hurts, check-ins, language.

    They live in a TOML file in your config folder. A setting's environment variable
    (COACH_RATE, ...) wins over the file, and a flag (--rate) wins over both.
    """
    from coach.storage import config

    if ctx.invoked_subcommand == "show":
        ctx.default_map = {"show": config.load()}


@config_group.command("show")
@click.option("--json", "as_json", is_flag=True, help="Print the settings as JSON: each one's value and where it comes from.")
@setting_options(*SETTINGS)
@click.pass_context
def config_show(ctx: click.Context, as_json: bool, **values) -> None:
    """Print the settings in effect, and where each comes from (default, file, environment, flag).

    Give flags as for 'coach start' to see what a command line would use."""
    from click.core import ParameterSource

    from coach.storage import config

    where = {
        ParameterSource.DEFAULT: lambda s: "default",
        ParameterSource.DEFAULT_MAP: lambda s: f"file ({config.file()})",
        ParameterSource.ENVIRONMENT: lambda s: f"environment ({s.env})",
        ParameterSource.COMMANDLINE: lambda s: "flag ({})".format(
            s.option.split("/")[0] if values[s.key] else "--" + s.option.split("/--")[-1]),
    }
    width = max(map(len, config.SETTINGS))
    shown: dict[str, dict] = {}
    for key, s in config.SETTINGS.items():
        value = values[key]
        source = ctx.get_parameter_source(key)
        said = where.get(source, lambda s: "default") if source is not None else (lambda s: "default")
        shown[key] = {"value": value, "from": said(s)}
        if not as_json:
            text = "(not set)" if value is None else str(value).lower() if isinstance(value, bool) else str(value)
            echo(f"{key:<{width}}  {text:<12}  {said(s)}")
    if as_json:
        import json

        echo(json.dumps(shown, indent=1))


@config_group.command("set", context_settings={"ignore_unknown_options": True})  # "-0.5" is a value
@click.argument("key")
@click.argument("value")
def config_set(key: str, value: str) -> None:
    """Check VALUE for the setting KEY and write it to the config file."""
    from coach.storage import config

    path = config.write(key, config.parse(key, value))
    echo(f"{key} = {value} in {path}")


@config_group.command("unset")
@click.argument("key")
def config_unset(key: str) -> None:
    """Remove the setting KEY from the config file: its default applies again."""
    from coach.storage import config

    if key not in config.SETTINGS:
        raise InputError(f"unknown setting '{key}': expected one of {', '.join(config.SETTINGS)}.")
    echo(f"{key} removed from {config.write(key, None)}")
