<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en" sourcelanguage="zh_CN">
<context>
    <name>DueListPanel</name>
    <message>
        <location filename="../../lawsup_desktop/ui/follow_ups/due_list.py" line="+113"/>
        <source>登记回访（Enter）</source>
        <translation>Record follow-up (Enter)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>为选中的警情登记回访（Enter 或双击）</source>
        <translation>Record a follow-up of the selected incident (Enter or double-click)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>刷新（F5）</source>
        <translation>Refresh (F5)</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>警情编号</source>
        <translation>Incident no.</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>接警时间</source>
        <translation>Received</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>警情类别</source>
        <translation>Category</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>管辖单位</source>
        <translation>Unit</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>报警人</source>
        <translation>Caller</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>联系电话</source>
        <translation>Phone</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>回访状态</source>
        <translation>Follow-up state</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>回访期限</source>
        <translation>Due</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>下次回访</source>
        <translation>Next attempt</translation>
    </message>
    <message>
        <location line="+48"/>
        <source>正在读取待回访警情…</source>
        <translation>Reading the incidents due for a follow-up…</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>需回访 {total} 起，其中逾期 {overdue} 起</source>
        <translation>{total} incidents need a follow-up, {overdue} overdue</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>（列出最早的 {shown} 起）</source>
        <translation> (the oldest {shown} are listed)</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>没有需要回访的警情。</source>
        <translation>No incident needs a follow-up.</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>（逾期）</source>
        <translation> (overdue)</translation>
    </message>
</context>
<context>
    <name>FollowUpDialog</name>
    <message>
        <location filename="../../lawsup_desktop/ui/follow_ups/dialog.py" line="+125"/>
        <source>回访已保存</source>
        <translation>Follow-up saved</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>已生成整改事项 {number}，期限 {due}</source>
        <translation>Rectification item {number} raised, due {due}</translation>
    </message>
    <message>
        <location line="+175"/>
        <source>登记回访</source>
        <translation>Record a follow-up</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>回访方式(&amp;M)</source>
        <translation>&amp;Method</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>回访对象姓名(&amp;N)</source>
        <translation>Party &amp;name</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>回访对象身份(&amp;R)</source>
        <translation>Party &amp;role</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>联系电话(&amp;P)</source>
        <translation>&amp;Phone</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>回访时间(&amp;T)</source>
        <translation>&amp;Time of contact</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>备注(&amp;O)</source>
        <translation>N&amp;otes</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>下次回访时间(&amp;X)</source>
        <translation>Ne&amp;xt attempt</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>手机或固定电话；电话回访必填</source>
        <translation>Mobile or landline; required for a phone call</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>回访事项（勾选已核实的事项，可附简短说明）</source>
        <translation>Items checked (tick what was verified, add a short note)</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>说明</source>
        <translation>Note</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>回访评价</source>
        <translation>Satisfaction</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>仅在“未联系上”时填写</source>
        <translation>Only when the party was unreachable</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>保存（Ctrl+S）</source>
        <translation>Save (Ctrl+S)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>取消</source>
        <translation>Cancel</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>回访记录</source>
        <translation>Follow-ups so far</translation>
    </message>
    <message>
        <location line="+56"/>
        <source>警情 {number}（{kind}）</source>
        <translation>Incident {number} ({kind})</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>接警时间 {received}，{unit}</source>
        <translation>received {received}, {unit}</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>暂无回访记录</source>
        <translation>No follow-ups yet</translation>
    </message>
    <message>
        <location line="+22"/>
        <source>核实：</source>
        <translation>Checked: </translation>
    </message>
    <message>
        <location line="+6"/>
        <source>回访人：{name}</source>
        <translation>By: {name}</translation>
    </message>
    <message>
        <location line="-49"/>
        <source>正在读取警情…</source>
        <translation>Reading the incident…</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>未指定单位</source>
        <translation>no unit</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>（无简要警情）</source>
        <translation>(no summary)</translation>
    </message>
    <message>
        <location line="+36"/>
        <source>下次回访 {when}</source>
        <translation>Next attempt {when}</translation>
    </message>
</context>
</TS>
