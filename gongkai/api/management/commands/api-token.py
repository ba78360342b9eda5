"""gongkai api-token create --org CODE --scope SCOPE [--scope …] --name NAME [--subtree] [--expires YYYY-MM-DD]
gongkai api-token revoke NAME
gongkai api-token list

Tokens for other systems (docs/api.md). ``create`` prints the token once: only its hash is stored. Each command
is an audited action of ``gongkai.api.actions`` (the actor is the operator's login name on the server)."""

from __future__ import annotations

import datetime as dt
import getpass
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from gongkai.api import actions
from gongkai.api.models import ApiToken, Scope
from gongkai.organisations.models import Organisation


def _operator() -> str:
    try:
        return f"cli:{getpass.getuser()}"
    except (KeyError, OSError):
        return "cli"


class Command(BaseCommand):
    help = gettext_noop("接口令牌：create 创建（只显示一次）、revoke 吊销、list 列出。")

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="subcommand", required=True, parser_class=CommandParser)
        create = sub.add_parser("create", help=_("为一个机关创建令牌"))
        create.add_argument("--org", required=True, help=_("机关代码"))
        create.add_argument("--name", required=True, help=_("调用系统的名称（唯一）"))
        create.add_argument(
            "--scope", action="append", required=True, choices=Scope.values, help=_("权限范围，可重复")
        )
        create.add_argument(
            "--subtree", action="store_true", help=_("同时代表所属单位（人民政府及其办公室）")
        )
        create.add_argument(
            "--expires", type=dt.date.fromisoformat, help=_("到期日期 YYYY-MM-DD（当日结束时失效）")
        )
        revoke = sub.add_parser("revoke", help=_("吊销令牌"))
        revoke.add_argument("name")
        sub.add_parser("list", help=_("列出令牌（不显示密钥）"))

    def handle(self, *args: Any, **options: Any) -> None:
        {"create": self._create, "revoke": self._revoke, "list": self._list}[options["subcommand"]](options)

    def _create(self, options: dict[str, Any]) -> None:
        org = Organisation.objects.filter(org_code=options["org"]).order_by("-id").first()
        if org is None:
            raise CommandError(_("没有代码为“%(c)s”的机关") % {"c": options["org"]})
        expires = None
        if options["expires"] is not None:
            expires = timezone.make_aware(
                dt.datetime.combine(options["expires"] + dt.timedelta(days=1), dt.time())
            )
        try:
            new = actions.create_token(
                _operator(),
                name=options["name"],
                body=org,
                scopes=options["scope"],
                include_subtree=options["subtree"],
                expires_at=expires,
            )
        except ValidationError as exc:
            raise CommandError("；".join(exc.messages)) from exc
        self.stdout.write(
            _("已创建令牌“%(n)s”（%(b)s）。请立即保存，它不会再次显示：")
            % {"n": new.token.name, "b": org.name}
        )
        self.stdout.write(new.secret)

    def _revoke(self, options: dict[str, Any]) -> None:
        token = ApiToken.objects.filter(name=options["name"]).first()
        if token is None:
            raise CommandError(_("没有名为“%(n)s”的令牌") % {"n": options["name"]})
        actions.revoke_token(_operator(), token)
        self.stdout.write(_("已吊销令牌“%(n)s”") % {"n": token.name})

    def _list(self, options: dict[str, Any]) -> None:
        now = timezone.now()
        for t in ApiToken.objects.select_related("body").order_by("name", "id"):
            state = _("有效") if t.is_active(now) else (_("已吊销") if t.revoked_at else _("已到期"))
            used = timezone.localtime(t.last_used_at).strftime("%Y-%m-%d %H:%M") if t.last_used_at else "—"
            self.stdout.write(
                "\t".join(
                    [
                        t.name,
                        f"gk_{t.prefix}_…",
                        t.body.org_code,
                        t.body.name,
                        " ".join(t.scopes),
                        str(state),
                        used,
                    ]
                )
            )
