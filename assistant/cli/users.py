"""`assistant users add|list`: manage the review desk's accounts (passwords never from argv)."""

from __future__ import annotations

import sys

import typer

from assistant.cli import app

users_app = typer.Typer(help="管理审核台账号（密码以 argon2 哈希保存）。", no_args_is_help=True)
app.add_typer(users_app, name="users")


def _password(from_stdin: bool) -> str:
    if from_stdin:
        return sys.stdin.readline().rstrip("\r\n")
    return typer.prompt("密码", hide_input=True, confirmation_prompt="再次输入密码")


@users_app.command("add")
def add(
    name: str = typer.Argument(..., help="用户名"),
    role: str = typer.Option("agent", "--role", help="角色：agent（一线客服）或 lead（客服主管）"),
    password_stdin: bool = typer.Option(False, "--password-stdin", help="从标准输入读取密码（脚本用）"),
    replace: bool = typer.Option(False, "--replace", help="用户已存在时重设密码和角色"),
) -> None:
    """添加用户（密码从无回显提示或标准输入读取）。"""
    from assistant.users import add_user, users_file

    user = add_user(name, _password(password_stdin), role, replace=replace)
    typer.echo(f"已保存用户 {user.name}（{user.role}）到 {users_file()}")


@users_app.command("list")
def list_(json_output: bool = typer.Option(False, "--json", help="输出 JSON")) -> None:
    """列出用户（不显示密码哈希）。"""
    import json

    from assistant.users import list_users

    users = list_users()
    if json_output:
        rows = [{"name": u.name, "role": u.role, "created_at": u.created_at} for u in users]
        typer.echo(json.dumps(rows, ensure_ascii=False))
        return
    if not users:
        typer.echo("还没有用户。用 `assistant users add 名字 --role agent` 添加。")
        return
    for user in users:
        typer.echo(f"{user.name}\t{user.role}\t{user.created_at}")
