<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en" sourcelanguage="zh_CN">
<context>
    <name>CalculatorPanel</name>
    <message>
        <location filename="../../lawsup_desktop/ui/deadlines/calculator.py" line="+218"/>
        <source>依法最多延长 {extra} {unit}</source>
        <translation>at most {extra} {unit} more by law</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>依法不能延长</source>
        <translation>cannot be extended by law</translation>
    </message>
    <message>
        <location line="+72"/>
        <source>无法计算：{why}</source>
        <translation>Cannot count: {why}</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>到期：{due}</source>
        <translation>Due: {due}</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>依据：</source>
        <translation>Basis: </translation>
    </message>
    <message>
        <location line="+8"/>
        <source>期限规则：</source>
        <translation>Deadline rule:</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>起算时间：</source>
        <translation>Start:</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>在押人员（期间届满日遇节假日不顺延）</source>
        <translation>Person in custody (the period does not move for holidays)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>中止计算（如鉴定期间）</source>
        <translation>Suspensions (e.g. time spent on an appraisal)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>自</source>
        <translation>From</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>至</source>
        <translation>to</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>添加</source>
        <translation>Add</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>移除</source>
        <translation>Remove</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>经批准延长：</source>
        <translation>Approved extension:</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>不延长</source>
        <translation>No extension</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>批准情况（选填）</source>
        <translation>Approval (optional)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>计算</source>
        <translation>Count</translation>
    </message>
</context>
<context>
    <name>ClearDialog</name>
    <message>
        <location filename="../../lawsup_desktop/ui/deadlines/dialogs.py" line="+114"/>
        <source>销账</source>
        <translation>Clear</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>例如：已电话提醒主办民警，当日已提请批准逮捕</source>
        <translation>e.g. Phoned the lead officer; the arrest request was filed today</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>处理情况（必填）：</source>
        <translation>What was done (required):</translation>
    </message>
</context>
<context>
    <name>DeadlineAlerts</name>
    <message>
        <location filename="../../lawsup_desktop/ui/deadlines/alerts.py" line="+110"/>
        <source>期限预警</source>
        <translation>Deadline alerts</translation>
    </message>
    <message>
        <location line="+18"/>
        <source>已逾期 {overdue}，今日到期 {today}，临期 {soon}</source>
        <translation>Overdue {overdue}, due today {today}, approaching {soon}</translation>
    </message>
    <message>
        <location line="+16"/>
        <source>期限：无法计算</source>
        <translation>Deadlines: cannot count</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>期限：计算中…</source>
        <translation>Deadlines: counting…</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>期限：{summary}</source>
        <translation>Deadlines: {summary}</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>打开期限预警</source>
        <translation>Open the deadline alerts</translation>
    </message>
</context>
<context>
    <name>DeadlinesPage</name>
    <message>
        <location filename="../../lawsup_desktop/ui/deadlines/page.py" line="+263"/>
        <source>已逾期 {n}</source>
        <translation>Overdue {n}</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>今日到期 {n}</source>
        <translation>Due today {n}</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>临期 {n}</source>
        <translation>Approaching {n}</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>正常 {n}</source>
        <translation>Normal {n}</translation>
    </message>
    <message>
        <location line="+43"/>
        <location line="+168"/>
        <source>选择一条期限，查看计算步骤和法律依据。</source>
        <translation>Select a deadline to see its counting steps and their legal basis.</translation>
    </message>
    <message>
        <location line="-164"/>
        <source>正在计算…</source>
        <translation>Counting…</translation>
    </message>
    <message>
        <location line="+13"/>
        <location line="+156"/>
        <source>依据：</source>
        <translation>Basis: </translation>
    </message>
    <message>
        <location line="-136"/>
        <source>到期：{due}（{state}）</source>
        <translation>Due: {due} ({state})</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>请先选择一条预警（已逾期、今日到期或临期）。</source>
        <translation>First select a warning (overdue, due today or approaching).</translation>
    </message>
    <message>
        <location line="+25"/>
        <source>已销账：{what}</source>
        <translation>Cleared: {what}</translation>
    </message>
    <message>
        <location line="+45"/>
        <source>此期限依法不能延长。</source>
        <translation>This deadline cannot be extended by law.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>依法最长 {total} {unit}（可延长 {extra} {unit}）</source>
        <translation>At most {total} {unit} by law (up to {extra} {unit} more)</translation>
    </message>
    <message>
        <location line="+23"/>
        <source>已记录，期限已重新计算：{what}</source>
        <translation>Recorded; the deadline was counted again: {what}</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>预警清单</source>
        <translation>Warnings</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>期限计算器</source>
        <translation>Deadline calculator</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>期限预警</source>
        <translation>Deadline alerts</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>显示正常期限</source>
        <translation>Show normal deadlines</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>正在计算期限…</source>
        <translation>Counting the deadlines…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>刷新</source>
        <translation>Refresh</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>销账</source>
        <translation>Clear</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>销账… ({key})</source>
        <translation>Clear… ({key})</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>销账…</source>
        <translation>Clear…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>记录中止（鉴定）…</source>
        <translation>Record a suspension (appraisal)…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>记录延长…</source>
        <translation>Record an extension…</translation>
    </message>
</context>
<context>
    <name>ExtensionDialog</name>
    <message>
        <location filename="../../lawsup_desktop/ui/deadlines/dialogs.py" line="+52"/>
        <source>记录延长期限</source>
        <translation>Record an extension</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>例如：经县局负责人王某批准（文号）</source>
        <translation>e.g. Approved by Wang, head of the county bureau (document no.)</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>延长：</source>
        <translation>Extend by:</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>批准情况：</source>
        <translation>Approval:</translation>
    </message>
</context>
<context>
    <name>SuspensionDialog</name>
    <message>
        <location line="-46"/>
        <source>记录中止计算（鉴定等）</source>
        <translation>Record a suspension (appraisal etc.)</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>尚未结束</source>
        <translation>Still running</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>例如：伤情鉴定</source>
        <translation>e.g. injury appraisal</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>开始：</source>
        <translation>From:</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>结束：</source>
        <translation>To:</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>事由：</source>
        <translation>Reason:</translation>
    </message>
</context>
<context>
    <name>WarningsModel</name>
    <message>
        <location filename="../../lawsup_desktop/ui/deadlines/model.py" line="+138"/>
        <source>状态</source>
        <translation>State</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>到期时间</source>
        <translation>Due</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>期限规则</source>
        <translation>Rule</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>案件编号 / 名称</source>
        <translation>Case no. / name</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>人员</source>
        <translation>Person</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>强制措施</source>
        <translation>Measure</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>办案单位 / 主办民警</source>
        <translation>Unit / lead officer</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>剩余时间</source>
        <translation>Time left</translation>
    </message>
    <message>
        <location line="+51"/>
        <source>逾期 {days} 天</source>
        <translation>{days} d overdue</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>逾期 {hours} 小时</source>
        <translation>{hours} h overdue</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>剩 {hours} 小时 {minutes} 分</source>
        <translation>{hours} h {minutes} min left</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>剩 {days} 天</source>
        <translation>{days} d left</translation>
    </message>
</context>
</TS>
