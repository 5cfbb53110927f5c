"""`tiket keys`: make an encryption key, rotate every sealed value to the newest key."""
from __future__ import annotations

import typer

keys_app = typer.Typer(help="Encryption keys of confidential teams (TIKET_ENCRYPTION__KEYS).",
                       no_args_is_help=True)


@keys_app.command("generate")
def generate() -> None:
    """Print a new key: put it FIRST in TIKET_ENCRYPTION__KEYS (keep the old ones after it until rotated)."""
    from cryptography.fernet import Fernet

    typer.echo(Fernet.generate_key().decode())


def run_rotate(container, batch: int = 500, echo=typer.echo) -> int:
    from storage.crypto import KeyMissing
    from storage.rotation import rotate

    cipher = container.cipher
    if cipher is None or not cipher.enabled:
        echo("TIKET_ENCRYPTION__KEYS is not set: nothing to rotate to", err=True)
        return 1

    def show(p) -> None:
        echo(f"{p.table}: {p.seen}/{p.total} rows checked, {p.changed} re-encrypted")

    try:
        changed = rotate(container.engine, cipher, batch=batch, progress=show)
    except KeyMissing as exc:
        echo(f"cannot open a value: {exc}; keep every old key in TIKET_ENCRYPTION__KEYS until rotation ends",
             err=True)
        return 1
    echo(f"done: {sum(changed.values())} rows re-encrypted; keys after the first may now be removed")
    return 0


@keys_app.command("rotate")
def rotate_command(batch: int = typer.Option(500, "--batch", min=1, max=10000,
                                             help="Rows per transaction.")) -> None:
    """Re-encrypt every sealed value with the newest key, in batches (run again to resume)."""
    from cli import common

    raise typer.Exit(run_rotate(common.container(migrate=None), batch))


def register(app: typer.Typer) -> None:
    app.add_typer(keys_app, name="keys")
