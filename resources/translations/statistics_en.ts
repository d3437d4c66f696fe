<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en" sourcelanguage="zh_CN">
<context>
    <name>StatisticsCharts</name>
    <message>
        <location filename="../../lawsup_desktop/ui/statistics/charts.py" line="+35"/>
        <source>警情分类（按月）</source>
        <translation>Incidents by category (monthly)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>回访满意度</source>
        <translation>Follow-up satisfaction</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>案件审核通过率、退回率、不同意率（按办案单位）</source>
        <translation>Case audits passed, returned and rejected (by handling unit)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>通过</source>
        <translation>Passed</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>退回补正</source>
        <translation>Returned for correction</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>不同意</source>
        <translation>Rejected</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>整改事项（按责任单位）</source>
        <translation>Rectification items (by responsible unit)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>未销号</source>
        <translation>Open</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>已销号</source>
        <translation>Signed off</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>逾期</source>
        <translation>Overdue</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>退补率与不捕率（按决定月份）</source>
        <translation>Return and non-arrest rates (by month of decision)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>退补率</source>
        <translation>Returned for supplementary investigation</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>不捕率</source>
        <translation>Arrest declined</translation>
    </message>
</context>
<context>
    <name>StatisticsPage</name>
    <message>
        <location filename="../../lawsup_desktop/ui/statistics/page.py" line="+171"/>
        <location line="+407"/>
        <source>正在统计…</source>
        <translation>Computing…</translation>
    </message>
    <message>
        <location line="-398"/>
        <source>统计期间：{first} 至 {last}</source>
        <translation>Period: {first} to {last}</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>统计失败</source>
        <translation>The statistics could not be computed</translation>
    </message>
    <message>
        <location line="+91"/>
        <location line="+6"/>
        <source>正在生成…</source>
        <translation>Generating…</translation>
    </message>
    <message>
        <location line="-4"/>
        <source>正在生成巡查通报</source>
        <translation>Generating the inspection bulletin</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>正在生成每日执法情况</source>
        <translation>Generating the daily report</translation>
    </message>
    <message>
        <location line="+33"/>
        <source>预览：{name}（共 {pages} 页）</source>
        <translation>Preview: {name} ({pages} pages)</translation>
    </message>
    <message>
        <location line="+9"/>
        <location line="+9"/>
        <source>保存 PDF</source>
        <translation>Save PDF</translation>
    </message>
    <message>
        <location line="-9"/>
        <source>PDF 文件 (*.pdf)</source>
        <translation>PDF files (*.pdf)</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>无法保存：{error}</source>
        <translation>Could not save: {error}</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>已保存：{path}</source>
        <translation>Saved: {path}</translation>
    </message>
    <message>
        <location line="+122"/>
        <source>末位</source>
        <translation>Bottom place</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>提前干预预警：</source>
        <translation>Early-intervention alerts: </translation>
    </message>
    <message>
        <location line="+5"/>
        <source>提前干预预警：无</source>
        <translation>Early-intervention alerts: none</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>异议待复核</source>
        <translation>Objection to decide</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>异议成立·已撤销</source>
        <translation>Objection upheld, voided</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>异议不成立·维持</source>
        <translation>Objection rejected, kept</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>待确认扣分 {n} 条，异议待复核 {m} 条</source>
        <translation>{n} suggested deductions to confirm, {m} objections to decide</translation>
    </message>
    <message>
        <location line="+35"/>
        <source>驳回扣分建议</source>
        <translation>Dismiss the suggested deduction</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>驳回理由：</source>
        <translation>Reason for dismissing:</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>提出异议</source>
        <translation>Lodge an objection</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>异议理由：</source>
        <translation>Grounds of the objection:</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>异议成立（撤销扣分）</source>
        <translation>Objection upheld (deduction voided)</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>异议不成立（维持扣分）</source>
        <translation>Objection rejected (deduction kept)</translation>
    </message>
    <message>
        <location line="+1"/>
        <location line="+4"/>
        <source>复核异议</source>
        <translation>Decide the objection</translation>
    </message>
    <message>
        <location line="-4"/>
        <source>复核结论：</source>
        <translation>Decision:</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>复核意见：</source>
        <translation>Note on the decision:</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>导出积分</source>
        <translation>Export points</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Excel 工作簿 (*.xlsx)</source>
        <translation>Excel workbooks (*.xlsx)</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>已导出：{path}</source>
        <translation>Exported: {path}</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>正在导出积分</source>
        <translation>Exporting points</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>统计图表</source>
        <translation>Charts</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>日报与通报</source>
        <translation>Daily report and bulletin</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>积分考评</source>
        <translation>Points and ranking</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>统计期间</source>
        <translation>Period</translation>
    </message>
    <message>
        <location line="+1"/>
        <location line="+8"/>
        <source>至</source>
        <translation>to</translation>
    </message>
    <message>
        <location line="-7"/>
        <source>刷新</source>
        <translation>Refresh</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>每日执法情况</source>
        <translation>Daily report</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>生成日报</source>
        <translation>Make the daily report</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>巡查通报</source>
        <translation>Inspection bulletin</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>生成通报</source>
        <translation>Make the bulletin</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>保存 PDF…</source>
        <translation>Save PDF…</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>生成日报或通报后在此预览。</source>
        <translation>Make a daily report or a bulletin to preview it here.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>考评月份</source>
        <translation>Month</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>民警排名</source>
        <translation>Officer ranking</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>单位排名</source>
        <translation>Unit ranking</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>生成扣分建议</source>
        <translation>Suggest deductions</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>导出 Excel…</source>
        <translation>Export to Excel…</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>名次</source>
        <translation>Place</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>名称</source>
        <translation>Name</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>单位</source>
        <translation>Unit</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>达标得分</source>
        <translation>Earned</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>过错扣分</source>
        <translation>Deducted</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>积分消抵</source>
        <translation>Offset</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>考评分</source>
        <translation>Score</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>日期</source>
        <translation>Date</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>对象</source>
        <translation>Subject</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>分值</source>
        <translation>Points</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>状态</source>
        <translation>State</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>事由</source>
        <translation>Reason</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>异议</source>
        <translation>Objection</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>确认扣分</source>
        <translation>Confirm deduction</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>驳回</source>
        <translation>Dismiss</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>提出异议…</source>
        <translation>Lodge objection…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>复核异议…</source>
        <translation>Decide objection…</translation>
    </message>
</context>
</TS>
