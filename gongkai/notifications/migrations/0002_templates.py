from django.db import migrations

TEMPLATES = [
    ("case_due_soon", "email", "staff", "【即将到期】{subject}",
     "{body}：政府信息公开申请“{subject}”（{receipt}收到）将于{due}到期，当前状态为{state}。请及时办理：{url}"),
    ("case_overdue", "email", "staff", "【已超期】{subject}",
     "{body}：政府信息公开申请“{subject}”（{receipt}收到）已于{due}到期，尚未答复。请立即办理：{url}"),
    ("case_supervised", "email", "staff", "【督办】{subject}",
     "{body}：政府信息公开申请“{subject}”已被督办，请于{supervised_until}前办结。{url}"),
    ("case_registered", "email", "applicant", "政府信息公开申请已收到",
     "{name}：您的政府信息公开申请已于{receipt}由{body}收到，查询编号{tracking}，答复期限{due}。"),
    ("case_registered", "sms", "applicant", "",
     "您的政府信息公开申请已于{receipt}收到，查询编号{tracking}，答复期限{due}。【{body}】"),
    ("case_answered", "email", "applicant", "政府信息公开申请已答复",
     "{name}：您的政府信息公开申请（查询编号{tracking}）已于{answered}作出答复：{outcome}。答复书将按您选择的方式送达。"),
    ("case_answered", "sms", "applicant", "",
     "您的政府信息公开申请（{tracking}）已于{answered}作出答复，请留意答复书。【{body}】"),
]


def load(apps, schema_editor):
    Template = apps.get_model("notifications", "NotificationTemplate")
    Template.objects.bulk_create([Template(code=c, channel=ch, audience=a, subject=s, body=b)
                                  for c, ch, a, s, b in TEMPLATES])


def unload(apps, schema_editor):
    apps.get_model("notifications", "NotificationTemplate").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("notifications", "0001_initial")]
    operations = [migrations.RunPython(load, unload)]
