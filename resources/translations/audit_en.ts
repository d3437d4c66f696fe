<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en" sourcelanguage="zh_CN">
<context>
    <name>AuditFormEditor</name>
    <message>
        <location filename="../../lawsup_desktop/ui/audit/form_editor.py" line="+143"/>
        <source>简要案情</source>
        <translation>Facts in brief</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>拟处理意见</source>
        <translation>Proposed handling</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>审核要点（勾选并说明）</source>
        <translation>Review points (check each, with a note)</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>说明</source>
        <translation>Note</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>发现问题</source>
        <translation>Problems found</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>重大疑难案件</source>
        <translation>Major or difficult case</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>保存草稿 (Ctrl+S)</source>
        <translation>Save draft (Ctrl+S)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>提交审核</source>
        <translation>Submit for review</translation>
    </message>
    <message>
        <location line="+30"/>
        <source>本案尚无审核表</source>
        <translation>This case has no audit form yet</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>审核表编号：{no}</source>
        <translation>Form no.: {no}</translation>
    </message>
    <message>
        <location line="+26"/>
        <source>正在保存草稿…</source>
        <translation>Saving the draft…</translation>
    </message>
    <message>
        <location line="+18"/>
        <source>正在提交…</source>
        <translation>Submitting…</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>尚不能提交，缺少：</source>
        <translation>Cannot be submitted yet; missing:</translation>
    </message>
</context>
<context>
    <name>AuditPage</name>
    <message>
        <location filename="../../lawsup_desktop/ui/audit/page.py" line="+176"/>
        <source>案件审核</source>
        <translation>Case audit</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>案件编号、名称或案由</source>
        <translation>Case number, name or cause</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>新建案件 (Ctrl+N)</source>
        <translation>New case (Ctrl+N)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>编辑案件</source>
        <translation>Edit case</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>新建审核表</source>
        <translation>New audit form</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>批量导出…</source>
        <translation>Batch export…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>全部类别</source>
        <translation>All kinds</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>全部强制措施</source>
        <translation>All measures</translation>
    </message>
    <message>
        <location line="+17"/>
        <source>全部审核状态</source>
        <translation>All audit states</translation>
    </message>
    <message>
        <location line="-14"/>
        <source>案件详情</source>
        <translation>Case detail</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>审核表</source>
        <translation>Audit form</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>审核流程</source>
        <translation>Review chain</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>打印预览</source>
        <translation>Print preview</translation>
    </message>
    <message>
        <location line="+50"/>
        <source>全部单位</source>
        <translation>All units</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>全部民警</source>
        <translation>All officers</translation>
    </message>
    <message>
        <location line="+31"/>
        <source>共 {n} 件</source>
        <translation>{n} cases</translation>
    </message>
    <message>
        <location line="+62"/>
        <source>请在上方列表中选择案件</source>
        <translation>Choose a case in the list above</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>案件编号</source>
        <translation>Case number</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>案件名称</source>
        <translation>Case name</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>案件类别</source>
        <translation>Case kind</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>案由</source>
        <translation>Cause</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>办案单位</source>
        <translation>Handling unit</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>主办民警</source>
        <translation>Lead officer</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>协办民警</source>
        <translation>Assisting officers</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>受案时间</source>
        <translation>Accepted at</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>立案时间</source>
        <translation>Registered at</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>人员与强制措施</source>
        <translation>Persons and coercive measures</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>审核历史</source>
        <translation>Audit history</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>{n} 条审核意见</source>
        <translation>{n} review opinions</translation>
    </message>
    <message>
        <location line="+62"/>
        <location line="+17"/>
        <source>生成整改事项</source>
        <translation>Raise rectification items</translation>
    </message>
    <message>
        <location line="-16"/>
        <source>将以下 {n} 个问题列入整改台账（责任单位：{unit}，责任人：{officer}，期限 {days} 天）：

{items}</source>
        <translation>Put these {n} problems into the rectification ledger (responsible unit: {unit}, responsible officer: {officer}, due in {days} days):

{items}</translation>
    </message>
    <message>
        <location line="+17"/>
        <source>已列入整改台账：{numbers}</source>
        <translation>Added to the rectification ledger: {numbers}</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>导出到文件夹</source>
        <translation>Export to folder</translation>
    </message>
    <message>
        <location line="+19"/>
        <source>正在导出审核表…</source>
        <translation>Exporting audit forms…</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>已导出 {n} 份审核表。</source>
        <translation>{n} audit forms exported.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>以下审核表未导出：</source>
        <translation>These forms were not exported:</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>批量导出</source>
        <translation>Batch export</translation>
    </message>
</context>
<context>
    <name>CaseEditor</name>
    <message>
        <location filename="../../lawsup_desktop/ui/audit/case_editor.py" line="+103"/>
        <location line="+6"/>
        <source>（请选择）</source>
        <translation>(choose)</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>如 2026-11-02 09:30</source>
        <translation>e.g. 2026-11-02 09:30</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>如 2026-11-03 16:00</source>
        <translation>e.g. 2026-11-03 16:00</translation>
    </message>
    <message>
        <location line="+28"/>
        <source>（无强制措施）</source>
        <translation>(no coercive measure)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>如 2026-11-03 18:00</source>
        <translation>e.g. 2026-11-03 18:00</translation>
    </message>
    <message>
        <location line="+62"/>
        <source>新建案件</source>
        <translation>New case</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>编辑案件</source>
        <translation>Edit case</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>案件信息</source>
        <translation>Case</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>案件编号</source>
        <translation>Case number</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>案件名称</source>
        <translation>Case name</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>案件类别</source>
        <translation>Case kind</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>案由</source>
        <translation>Cause</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>办案单位</source>
        <translation>Handling unit</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>主办民警</source>
        <translation>Lead officer</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>协办民警</source>
        <translation>Assisting officers</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>受案时间</source>
        <translation>Accepted at</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>立案时间</source>
        <translation>Registered at</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>犯罪嫌疑人 / 当事人</source>
        <translation>Suspects / parties</translation>
    </message>
    <message>
        <location line="+2"/>
        <location line="+3"/>
        <source>身份</source>
        <translation>Role</translation>
    </message>
    <message>
        <location line="-3"/>
        <location line="+3"/>
        <source>姓名</source>
        <translation>Name</translation>
    </message>
    <message>
        <location line="-3"/>
        <location line="+3"/>
        <source>身份证号码</source>
        <translation>Resident ID number</translation>
    </message>
    <message>
        <location line="-3"/>
        <source>性别</source>
        <translation>Gender</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>出生日期</source>
        <translation>Birth date</translation>
    </message>
    <message>
        <location line="+0"/>
        <location line="+2"/>
        <source>联系电话</source>
        <translation>Phone</translation>
    </message>
    <message>
        <location line="-2"/>
        <location line="+3"/>
        <source>住址</source>
        <translation>Address</translation>
    </message>
    <message>
        <location line="-3"/>
        <location line="+3"/>
        <source>强制措施</source>
        <translation>Coercive measure</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>措施开始时间</source>
        <translation>Measure start</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>加入人员</source>
        <translation>Add person</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>为所选人员添加强制措施</source>
        <translation>Add a measure to the selected person</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>移除所选人员</source>
        <translation>Remove selected person</translation>
    </message>
    <message>
        <location line="+177"/>
        <source>正在保存案件…</source>
        <translation>Saving the case…</translation>
    </message>
</context>
<context>
    <name>CaseListModel</name>
    <message>
        <location filename="../../lawsup_desktop/ui/audit/model.py" line="+81"/>
        <source>案件编号</source>
        <translation>Case number</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>案件名称</source>
        <translation>Case name</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>类别</source>
        <translation>Kind</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>案由</source>
        <translation>Cause</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>办案单位</source>
        <translation>Handling unit</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>主办民警</source>
        <translation>Lead officer</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>受案时间</source>
        <translation>Accepted at</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>立案时间</source>
        <translation>Registered at</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>人员</source>
        <translation>Persons</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>审核状态</source>
        <translation>Audit state</translation>
    </message>
</context>
<context>
    <name>ChainPanel</name>
    <message>
        <location filename="../../lawsup_desktop/ui/audit/chain.py" line="+73"/>
        <source>审核环节</source>
        <translation>Review level</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>审核意见</source>
        <translation>Decision</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>意见内容</source>
        <translation>Opinion text</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>审核人</source>
        <translation>Reviewer</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>审核时间</source>
        <translation>Review time</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>录入人</source>
        <translation>Entered by</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>生成整改事项</source>
        <translation>Raise rectification items</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>录入第{level}级意见（{role}）</source>
        <translation>Record level {level} ({role})</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>录入下一级意见</source>
        <translation>Record the next level</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>第{n}轮</source>
        <translation>Round {n}</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>待审核</source>
        <translation>Awaited</translation>
    </message>
</context>
<context>
    <name>PdfPreview</name>
    <message>
        <location filename="../../lawsup_desktop/ui/audit/preview.py" line="+75"/>
        <source>生成预览</source>
        <translation>Generate preview</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>打印…</source>
        <translation>Print…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>另存为…</source>
        <translation>Save as…</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>本案尚无审核表</source>
        <translation>This case has no audit form yet</translation>
    </message>
    <message>
        <location line="+18"/>
        <source>正在生成…</source>
        <translation>Generating…</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>有无法打印的字</source>
        <translation>Characters that cannot be printed</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>以下内容含有字体缺少的字（生僻字）：

{problems}

选择“是”：这些字印成空白方框，打印后手写补充；选择“否”：取消打印。</source>
        <translation>These fields hold characters the font lacks (rare characters):

{problems}

Yes: print each as an empty box and write it in by hand; No: cancel printing.</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>已取消</source>
        <translation>Cancelled</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>正在生成审核表…</source>
        <translation>Generating the audit form…</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>{form_no}，共 {pages} 页</source>
        <translation>{form_no}, {pages} pages</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>生成失败</source>
        <translation>Generation failed</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>另存为</source>
        <translation>Save as</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>PDF 文件 (*.pdf)</source>
        <translation>PDF files (*.pdf)</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>已保存到 {path}</source>
        <translation>Saved to {path}</translation>
    </message>
</context>
<context>
    <name>ReviewStepDialog</name>
    <message>
        <location filename="../../ui/audit/review_step_dialog.ui" line="+14"/>
        <source>录入审核意见</source>
        <translation>Record a review opinion</translation>
    </message>
    <message>
        <location line="+15"/>
        <source>审核结论(&amp;D)</source>
        <translation>&amp;Decision</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>审核意见(&amp;O)</source>
        <translation>&amp;Opinion</translation>
    </message>
    <message>
        <location line="+17"/>
        <source>审核人(&amp;R)</source>
        <translation>&amp;Reviewer</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>审核时间(&amp;T)</source>
        <translation>Review &amp;time</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>如 2026-11-05 09:15</source>
        <translation>e.g. 2026-11-05 09:15</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>录入人</source>
        <translation>Entered by</translation>
    </message>
</context>
<context>
    <name>StepDialog</name>
    <message>
        <location filename="../../lawsup_desktop/ui/audit/chain.py" line="+36"/>
        <source>第{round}轮 · 第{level}级：{role}</source>
        <translation>Round {round} · level {level}: {role}</translation>
    </message>
    <message>
        <location line="+22"/>
        <source>签署录入</source>
        <translation>Record signed opinion</translation>
    </message>
    <message>
        <location line="+22"/>
        <source>正在录入…</source>
        <translation>Recording…</translation>
    </message>
</context>
</TS>
