"""Small user documents with their own headings, shared by the corpus tests."""

REFUND_MD = """\
# 退款政策

本页说明退款规则。

## 到账时间

原路退回的款项在**三个工作日**内到账。

1. 微信支付：即时到账
2. 银行卡：一至三个工作日

## 退款条件

### 一、七天无理由

签收后七天内可申请，#1号机 的退货也适用。
C# 开发的系统会自动审核。

### 二、质量问题

（一）换货
质量问题可直接换货。
（二）退款
也可以直接退款。

```
# 这不是标题，是代码注释
```

    # 缩进代码也不是标题

# 换货政策

换货请联系客服。
"""

MEMBER_HTML = """\
<html><head><title>会员说明</title></head><body>
<h1>会员权益</h1><p>会员享受以下权益。</p>
<h2>
  积分规则
</h2>
<p># 注意：积分不可转让。</p>
<h3>积分<b>过期</b></h3><p>积分在次年年底过期。</p>
<h2>专属客服</h2><p>会员可拨打专属热线。</p>
</body></html>
"""


def shipping_docx(path, *, with_title: bool = True, heading_style: str = "Heading {level}"):
    import docx

    word = docx.Document()
    if with_title:
        word.add_paragraph("物流说明", style="Title")
    word.add_paragraph("发货时间", style=heading_style.format(level=1))
    word.add_paragraph("下单后四十八小时内发货。")
    table = word.add_table(rows=1, cols=2)
    table.cell(0, 0).text = "预售商品"
    table.cell(0, 1).text = "按页面约定时间发货"
    word.add_paragraph("偏远地区", style=heading_style.format(level=2))
    word.add_paragraph("偏远地区另加两天。")
    word.add_paragraph("# 不是标题的普通段落")
    word.save(path)
    return path
