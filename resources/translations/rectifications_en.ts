<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en" sourcelanguage="zh_CN">
<context>
    <name>ExtendDialog</name>
    <message>
        <location filename="../../lawsup_desktop/ui/rectifications/dialogs.py" line="+301"/>
        <source>延长 {count} 项整改事项的期限</source>
        <translation>Extend the due date of {count} items</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>新整改期限</source>
        <translation>New due date</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>延期原因</source>
        <translation>Reason for the extension</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>延期</source>
        <translation>Extend</translation>
    </message>
</context>
<context>
    <name>FormDialog</name>
    <message>
        <location line="-218"/>
        <source>确定</source>
        <translation>OK</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>取消</source>
        <translation>Cancel</translation>
    </message>
</context>
<context>
    <name>ItemPanel</name>
    <message>
        <location filename="../../lawsup_desktop/ui/rectifications/detail.py" line="+230"/>
        <source>退回</source>
        <translation>Send back</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>整改事项</source>
        <translation>Rectification item</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>来源</source>
        <translation>Source</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>问题类型</source>
        <translation>Problem type</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>风险等级</source>
        <translation>Risk level</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>问题描述</source>
        <translation>Problem description</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>整改措施</source>
        <translation>Measures</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>责任单位／责任人</source>
        <translation>Responsible unit / officer</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>整改期限</source>
        <translation>Due date</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>核验意见</source>
        <translation>Verification note</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>保存修改</source>
        <translation>Save changes</translation>
    </message>
    <message>
        <location line="+1"/>
        <location line="+182"/>
        <source>整改进展</source>
        <translation>Progress</translation>
    </message>
    <message>
        <location line="-181"/>
        <source>进展情况，如：已约谈责任民警</source>
        <translation>Progress, e.g. talked to the responsible officer</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>添加进展</source>
        <translation>Add entry</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>佐证材料</source>
        <translation>Evidence</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>上传佐证…</source>
        <translation>Attach evidence…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>打开</source>
        <translation>Open</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>撤下…</source>
        <translation>Remove…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>撤下误传的佐证材料（须说明原因，记入处理记录）</source>
        <translation>Remove a file attached by mistake (with a reason, kept in the history)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>处理记录</source>
        <translation>History</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>日期</source>
        <translation>Date</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>操作</source>
        <translation>Action</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>操作人</source>
        <translation>By</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>说明</source>
        <translation>Note</translation>
    </message>
    <message>
        <location line="+10"/>
        <location line="+82"/>
        <source>（未指定）</source>
        <translation>(not set)</translation>
    </message>
    <message>
        <location line="-37"/>
        <source>未选择整改事项</source>
        <translation>No item selected</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>在左侧台账中选择一项，查看和办理。</source>
        <translation>Select an item in the ledger on the left to view and handle it.</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>风险：{risk}&#x3000;督办层级：{level}</source>
        <translation>Risk: {risk}   Escalation: {level}</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>&#x3000;挂牌督办（{authority}）</source>
        <translation>   Bureau-supervised ({authority})</translation>
    </message>
    <message>
        <location line="+26"/>
        <source>{note}（{day} 销号）</source>
        <translation>{note} (signed off {day})</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>无需佐证：{reason}</source>
        <translation>No evidence needed: {reason}</translation>
    </message>
    <message>
        <location line="+55"/>
        <source>关联警情盯警记录</source>
        <translation>linked to the daily-watch review of the incident</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>关联回访记录</source>
        <translation>linked to the follow-up</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>关联案件审核登记表</source>
        <translation>linked to the case audit form</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>督办单位：{authority}</source>
        <translation>assigned by: {authority}</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>登记</source>
        <translation>Registered</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>改派</source>
        <translation>Reassigned</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>延期</source>
        <translation>Extend</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>超期升级</source>
        <translation>Escalated (overdue)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>修改</source>
        <translation>Edited</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>撤下佐证</source>
        <translation>Evidence removed</translation>
    </message>
    <message>
        <location line="+37"/>
        <source>已重新载入最新内容；您输入的文字仍保留在输入框中。</source>
        <translation>The latest version was loaded; what you typed is still in the fields.</translation>
    </message>
    <message>
        <location line="+23"/>
        <source>已保存。</source>
        <translation>Saved.</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>已添加整改进展。</source>
        <translation>Progress entry added.</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>选择佐证材料</source>
        <translation>Choose evidence files</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>佐证材料 ({patterns})</source>
        <translation>Evidence ({patterns})</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>所有文件 (*)</source>
        <translation>All files (*)</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>正在上传佐证材料“{name}”…</source>
        <translation>Attaching evidence &quot;{name}&quot;…</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>已上传佐证材料“{name}”。</source>
        <translation>Evidence &quot;{name}&quot; attached.</translation>
    </message>
    <message>
        <location line="+15"/>
        <source>佐证材料“{name}”的文件在数据文件夹中找不到了。</source>
        <translation>The file of evidence &quot;{name}&quot; is missing from the data folder.</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>撤下佐证材料</source>
        <translation>Remove evidence</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>撤下“{name}”：它不再算作本事项的佐证，处理记录中保留撤下原因。</source>
        <translation>Remove &quot;{name}&quot;: it no longer counts as evidence for this item; the reason stays in the history.</translation>
    </message>
    <message>
        <location line="+18"/>
        <source>已撤下佐证材料“{name}”。</source>
        <translation>Evidence &quot;{name}&quot; removed.</translation>
    </message>
    <message>
        <location line="+15"/>
        <source>核验未通过，退回责任单位继续整改。请说明原因。</source>
        <translation>Verification failed: the item goes back to the responsible unit. Give the reason.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>重新打开已销号的整改事项，须说明原因。</source>
        <translation>Reopening a signed-off item needs a reason.</translation>
    </message>
    <message>
        <location line="-33"/>
        <location line="+34"/>
        <source>原因</source>
        <translation>Reason</translation>
    </message>
    <message>
        <location line="+39"/>
        <source>{number}：{action}，现为“{state}”。</source>
        <translation>{number}: {action}; now &quot;{state}&quot;.</translation>
    </message>
</context>
<context>
    <name>LedgerModel</name>
    <message>
        <location filename="../../lawsup_desktop/ui/rectifications/model.py" line="+132"/>
        <source>编号</source>
        <translation>Number</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>状态</source>
        <translation>State</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>风险</source>
        <translation>Risk</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>问题类型</source>
        <translation>Problem type</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>问题描述</source>
        <translation>Problem description</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>责任单位</source>
        <translation>Responsible unit</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>责任人</source>
        <translation>Responsible officer</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>整改期限</source>
        <translation>Due date</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>督办层级</source>
        <translation>Escalation</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>来源</source>
        <translation>Source</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>同步</source>
        <translation>Sync</translation>
    </message>
    <message>
        <location line="+66"/>
        <source>{day}（超期 {days} 天）</source>
        <translation>{day} ({days} days overdue)</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>{day}（即将到期）</source>
        <translation>{day} (due soon)</translation>
    </message>
</context>
<context>
    <name>NewItemDialog</name>
    <message>
        <location filename="../../lawsup_desktop/ui/rectifications/dialogs.py" line="+143"/>
        <source>新建整改事项</source>
        <translation>New rectification item</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>（请选择）</source>
        <translation>(choose)</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>（未指定）</source>
        <translation>(not set)</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>登记</source>
        <translation>Registered</translation>
    </message>
</context>
<context>
    <name>NewItemForm</name>
    <message>
        <location filename="../../ui/rectifications/new_item_form.ui" line="+14"/>
        <source>来源(&amp;S)：</source>
        <translation>&amp;Source:</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>来源说明：</source>
        <translation>Source note:</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>如：11月执法巡查通报第3条</source>
        <translation>e.g. November inspection bulletin, point 3</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>问题类型(&amp;T)：</source>
        <translation>Problem &amp;type:</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>问题描述(&amp;D)：</source>
        <translation>&amp;Description:</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>风险等级(&amp;R)：</source>
        <translation>&amp;Risk level:</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>责任单位(&amp;U)：</source>
        <translation>Responsible &amp;unit:</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>责任人(&amp;O)：</source>
        <translation>Responsible &amp;officer:</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>整改期限(&amp;L)：</source>
        <translation>Due date (&amp;limit):</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>整改措施(&amp;M)：</source>
        <translation>&amp;Measures:</translation>
    </message>
</context>
<context>
    <name>ReassignDialog</name>
    <message>
        <location filename="../../lawsup_desktop/ui/rectifications/dialogs.py" line="+27"/>
        <source>改派 {count} 项整改事项</source>
        <translation>Reassign {count} items</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>（未指定）</source>
        <translation>(not set)</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>责任单位</source>
        <translation>Responsible unit</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>责任人</source>
        <translation>Responsible officer</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>说明</source>
        <translation>Note</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>改派</source>
        <translation>Reassigned</translation>
    </message>
</context>
<context>
    <name>RectificationPage</name>
    <message>
        <location filename="../../lawsup_desktop/ui/rectifications/page.py" line="+274"/>
        <source>整改台账</source>
        <translation>Rectification ledger</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>搜索编号或问题描述（Ctrl+F）</source>
        <translation>Search number or description (Ctrl+F)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>清除筛选</source>
        <translation>Clear filters</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>新建整改事项（Ctrl+N）</source>
        <translation>New item (Ctrl+N)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>批量改派…</source>
        <translation>Reassign…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>批量延期…</source>
        <translation>Extend due date…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>导出 Excel…</source>
        <translation>Export Excel…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>导出 PDF…</source>
        <translation>Export PDF…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>刷新（F5）</source>
        <translation>Refresh (F5)</translation>
    </message>
    <message>
        <location line="+21"/>
        <source>全部状态</source>
        <translation>All states</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>全部风险等级</source>
        <translation>All risk levels</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>超期：不限</source>
        <translation>Overdue: any</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>仅超期</source>
        <translation>Overdue only</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>未超期</source>
        <translation>Not overdue</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>期限：不限</source>
        <translation>Due: any time</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>{days} 天内到期</source>
        <translation>Due within {days} days</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>全部督办层级</source>
        <translation>All escalation levels</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>全部责任单位</source>
        <translation>All units</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>全部责任人</source>
        <translation>All officers</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>全部问题类型</source>
        <translation>All problem types</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>全部来源</source>
        <translation>All sources</translation>
    </message>
    <message>
        <location line="+145"/>
        <source>当前筛选共 {total} 项</source>
        <translation>{total} items in this filter</translation>
    </message>
    <message>
        <location line="+57"/>
        <source>{count} 项整改事项超期升级督办：{numbers}</source>
        <translation>{count} overdue items escalated: {numbers}</translation>
    </message>
    <message>
        <location line="+96"/>
        <source>已登记整改事项 {number}。</source>
        <translation>Rectification item {number} registered.</translation>
    </message>
    <message>
        <location line="+23"/>
        <source>已改派 {count} 项。</source>
        <translation>{count} items reassigned.</translation>
    </message>
    <message>
        <location line="+22"/>
        <source>已延长 {count} 项的整改期限。</source>
        <translation>Due date extended for {count} items.</translation>
    </message>
    <message>
        <location line="+18"/>
        <source>导出整改台账</source>
        <translation>Export the rectification ledger</translation>
    </message>
    <message>
        <location line="+15"/>
        <source>正在导出整改台账到“{name}”…</source>
        <translation>Exporting the rectification ledger to &quot;{name}&quot;…</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>已取消导出，未生成文件。</source>
        <translation>Export cancelled; no file was written.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>已导出 {rows} 项到 {path}</source>
        <translation>{rows} items exported to {path}</translation>
    </message>
</context>
<context>
    <name>SignOffDialog</name>
    <message>
        <location filename="../../lawsup_desktop/ui/rectifications/dialogs.py" line="-146"/>
        <source>销号 {number}</source>
        <translation>Sign off {number}</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>核验意见</source>
        <translation>Verification note</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>已上传佐证材料 {count} 份。</source>
        <translation>{count} evidence files attached.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>尚无佐证材料：请先上传，或在下面说明无需佐证的原因。</source>
        <translation>No evidence yet: attach some first, or give below the reason none is needed.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>无需佐证原因</source>
        <translation>Reason no evidence is needed</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>销号</source>
        <translation>Sign off</translation>
    </message>
</context>
</TS>
