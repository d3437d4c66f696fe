<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en" sourcelanguage="zh_CN">
<context>
    <name>IncidentListModel</name>
    <message>
        <location filename="../../lawsup_desktop/ui/incidents/model.py" line="+172"/>
        <source>接警编号</source>
        <translation>Incident no.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>报警时间</source>
        <translation>Received</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>类别</source>
        <translation>Category</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>重点类别</source>
        <translation>Key category</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>发生地点</source>
        <translation>Address</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>简要警情</source>
        <translation>Summary</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>报警人</source>
        <translation>Caller</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>处警单位</source>
        <translation>Handling unit</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>处置结果</source>
        <translation>Disposition</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>盯警</source>
        <translation>Watch</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>回访</source>
        <translation>Follow-up</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>同步</source>
        <translation>Sync</translation>
    </message>
    <message>
        <location line="+69"/>
        <source>{status}（{day} 到期）</source>
        <translation>{status} (due {day})</translation>
    </message>
</context>
<context>
    <name>IncidentPanel</name>
    <message>
        <location filename="../../lawsup_desktop/ui/incidents/detail.py" line="+143"/>
        <source>记录回访…（Ctrl+R）</source>
        <translation>Record follow-up… (Ctrl+R)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>警情</source>
        <translation>Incident</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>回访</source>
        <translation>Follow-up</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>盯警与整改</source>
        <translation>Watch and rectification</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>操作记录</source>
        <translation>Audit trail</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>警情详情</source>
        <translation>Incident detail</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>在列表中双击警情或按回车键查看详情。</source>
        <translation>Double-click an incident in the list, or press Enter, to see its detail.</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>警情 {number}</source>
        <translation>Incident {number}</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>回访（{n}）</source>
        <translation>Follow-ups ({n})</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>盯警与整改（{n}）</source>
        <translation>Watch and rectification ({n})</translation>
    </message>
    <message>
        <location line="+15"/>
        <source>是</source>
        <translation>Yes</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>否</source>
        <translation>No</translation>
    </message>
    <message>
        <location line="+4"/>
        <location line="+132"/>
        <source>接警编号</source>
        <translation>Incident no.</translation>
    </message>
    <message>
        <location line="-131"/>
        <location line="+131"/>
        <source>报警时间</source>
        <translation>Received</translation>
    </message>
    <message>
        <location line="-130"/>
        <location line="+131"/>
        <source>警情类别</source>
        <translation>Category</translation>
    </message>
    <message>
        <location line="-130"/>
        <location line="+130"/>
        <source>重点警情</source>
        <translation>Key incident</translation>
    </message>
    <message>
        <location line="-129"/>
        <location line="+130"/>
        <source>发生地点</source>
        <translation>Address</translation>
    </message>
    <message>
        <location line="-129"/>
        <location line="+130"/>
        <source>报警人</source>
        <translation>Caller</translation>
    </message>
    <message>
        <location line="-129"/>
        <location line="+31"/>
        <location line="+99"/>
        <source>联系电话</source>
        <translation>Phone</translation>
    </message>
    <message>
        <location line="-129"/>
        <location line="+129"/>
        <source>处警单位</source>
        <translation>Handling unit</translation>
    </message>
    <message>
        <location line="-128"/>
        <location line="+129"/>
        <source>处警民警</source>
        <translation>Handling officer</translation>
    </message>
    <message>
        <location line="-128"/>
        <location line="+128"/>
        <source>处置结果</source>
        <translation>Disposition</translation>
    </message>
    <message>
        <location line="-127"/>
        <location line="+128"/>
        <source>盯警状态</source>
        <translation>Watch state</translation>
    </message>
    <message>
        <location line="-127"/>
        <location line="+128"/>
        <source>回访状态</source>
        <translation>Follow-up state</translation>
    </message>
    <message>
        <location line="-127"/>
        <source>登记时间</source>
        <translation>Registered</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>最后修改</source>
        <translation>Last changed</translation>
    </message>
    <message>
        <location line="+2"/>
        <location line="+120"/>
        <source>简要警情</source>
        <translation>Summary</translation>
    </message>
    <message>
        <location line="-119"/>
        <location line="+122"/>
        <source>处警记录</source>
        <translation>Handling record</translation>
    </message>
    <message>
        <location line="-113"/>
        <source>尚无回访记录。</source>
        <translation>No follow-ups yet.</translation>
    </message>
    <message>
        <location line="+10"/>
        <location line="+105"/>
        <source>回访对象</source>
        <translation>Party</translation>
    </message>
    <message>
        <location line="-102"/>
        <source>回访民警</source>
        <translation>Officer</translation>
    </message>
    <message>
        <location line="+3"/>
        <location line="+102"/>
        <source>下次回访</source>
        <translation>Next attempt</translation>
    </message>
    <message>
        <location line="-96"/>
        <source>回访事项</source>
        <translation>Items checked</translation>
    </message>
    <message>
        <location line="+2"/>
        <location line="+93"/>
        <source>备注</source>
        <translation>Notes</translation>
    </message>
    <message>
        <location line="-88"/>
        <source>无</source>
        <translation>None</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>盯警记录</source>
        <translation>Watch reviews</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>已盯，无问题</source>
        <translation>Watched, no problem</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>发现问题：{problem}</source>
        <translation>Problem found: {problem}</translation>
    </message>
    <message>
        <location line="+7"/>
        <location line="+71"/>
        <source>问题说明</source>
        <translation>Note</translation>
    </message>
    <message>
        <location line="-69"/>
        <source>责任单位/责任人</source>
        <translation>Responsible unit / officer</translation>
    </message>
    <message>
        <location line="+4"/>
        <location line="+12"/>
        <source>整改事项</source>
        <translation>Rectification items</translation>
    </message>
    <message>
        <location line="-9"/>
        <source>关联案件</source>
        <translation>Linked cases</translation>
    </message>
    <message>
        <location line="+15"/>
        <source>期限 {day}</source>
        <translation>due {day}</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>无操作记录。</source>
        <translation>No changes recorded.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>新建</source>
        <translation>Created</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>修改</source>
        <translation>Changed</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>删除</source>
        <translation>Deleted</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>警情</source>
        <comment>audit entity</comment>
        <translation>incident</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>回访</source>
        <comment>audit entity</comment>
        <translation>follow-up</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>盯警</source>
        <comment>audit entity</comment>
        <translation>watch review</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>{action}{entity}</source>
        <translation>{action} {entity}</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>{field}：{value}</source>
        <translation>{field}: {value}</translation>
    </message>
    <message>
        <location line="+20"/>
        <source>时间</source>
        <translation>Time</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>操作人</source>
        <translation>By</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>操作</source>
        <translation>Action</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>内容</source>
        <translation>Changes</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>重点类别</source>
        <translation>Key category</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>回访评价</source>
        <translation>Satisfaction</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>回访方式</source>
        <translation>Method</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>回访时间</source>
        <translation>Time of contact</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>回访对象身份</source>
        <translation>Party&apos;s role</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>回访对象电话</source>
        <translation>Party&apos;s phone</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>盯警时间</source>
        <translation>Watched at</translation>
    </message>
</context>
<context>
    <name>IncidentsPage</name>
    <message>
        <location filename="../../lawsup_desktop/ui/incidents/page.py" line="+258"/>
        <source>警情与回访</source>
        <translation>Incidents and follow-ups</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>搜索接警编号、地点、警情内容、报警人、处警记录（Ctrl+F）</source>
        <translation>Search number, address, summary, caller, handling record (Ctrl+F)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>导出 XLSX…</source>
        <translation>Export XLSX…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>刷新（F5）</source>
        <translation>Refresh (F5)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>清除筛选</source>
        <translation>Clear filters</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>报警日期自</source>
        <translation>Received from</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>报警日期至</source>
        <translation>Received until</translation>
    </message>
    <message>
        <location line="+21"/>
        <source>今天</source>
        <translation>Today</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>近 3 天</source>
        <translation>Last 3 days</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>近 7 天</source>
        <translation>Last 7 days</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>近 30 天</source>
        <translation>Last 30 days</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>自定日期</source>
        <translation>Custom dates</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>全部日期</source>
        <translation>All dates</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>全部类别</source>
        <translation>All categories</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>全部警情</source>
        <translation>All incidents</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>仅重点警情</source>
        <translation>Key incidents only</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>全部处置结果</source>
        <translation>All dispositions</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>全部单位</source>
        <translation>All units</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>全部盯警状态</source>
        <translation>All watch states</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>全部回访状态</source>
        <translation>All follow-up states</translation>
    </message>
    <message>
        <location line="+117"/>
        <source>正在查询…</source>
        <translation>Querying…</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>共 {n} 条</source>
        <translation>{n} incidents</translation>
    </message>
    <message>
        <location line="+98"/>
        <source>请先选择一条警情。</source>
        <translation>Select an incident first.</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>已记录回访。</source>
        <translation>Follow-up recorded.</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>警情列表</source>
        <translation>incidents</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>导出警情列表</source>
        <translation>Export the incident list</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Excel 工作簿 (*.xlsx)</source>
        <translation>Excel workbook (*.xlsx)</translation>
    </message>
    <message>
        <location line="+15"/>
        <source>正在导出 {n} 条警情到“{name}”…</source>
        <translation>Exporting {n} incidents to “{name}”…</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>已取消导出，未生成文件。</source>
        <translation>Export cancelled; no file was written.</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>已导出 {n} 条警情到 {path}</source>
        <translation>Exported {n} incidents to {path}</translation>
    </message>
</context>
</TS>
