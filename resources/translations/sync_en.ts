<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en" sourcelanguage="zh_CN">
<context>
    <name>EnrollDialog</name>
    <message>
        <location filename="../../lawsup_desktop/ui/sync/enroll_dialog.py" line="+103"/>
        <source>注册到县局同步服务器</source>
        <translation>Enrol with the bureau&apos;s sync server</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>请输入县局法制大队提供的服务器地址和一次性注册码。注册后，本机的同步令牌只保存在系统密钥环中，不写入数据库、设置文件或日志。</source>
        <translation>Enter the server address and the one-time enrolment code from the county bureau&apos;s legal affairs brigade. After enrolment this workstation&apos;s sync token is kept only in the system keyring, never in the database, the settings or the logs.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>服务器地址(&amp;A)：</source>
        <translation>Server &amp;address:</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>注册码(&amp;C)：</source>
        <translation>Enrolment &amp;code:</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>县局 CA 证书：</source>
        <translation>Bureau&apos;s CA bundle:</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>留空则使用系统自带的证书</source>
        <translation>Leave empty to use the system&apos;s certificates</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>选择…</source>
        <translation>Choose…</translation>
    </message>
    <message>
        <location line="+1"/>
        <location line="+53"/>
        <source>注册(&amp;R)</source>
        <translation>&amp;Enrol</translation>
    </message>
    <message>
        <location line="-42"/>
        <source>选择县局 CA 证书</source>
        <translation>Choose the bureau&apos;s CA bundle</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>证书 (*.pem *.crt *.cer);;所有文件 (*)</source>
        <translation>Certificates (*.pem *.crt *.cer);;All files (*)</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>请填写服务器地址。</source>
        <translation>Enter the server address.</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>请填写注册码。</source>
        <translation>Enter the enrolment code.</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>CA 证书文件不存在：{path}</source>
        <translation>The CA bundle file does not exist: {path}</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>正在注册…</source>
        <translation>Enrolling…</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>注册失败：{error}</source>
        <translation>Enrolment failed: {error}</translation>
    </message>
</context>
<context>
    <name>SyncBadges</name>
    <message>
        <location filename="../../lawsup_desktop/ui/sync/badges.py" line="+35"/>
        <source>本地</source>
        <translation>Local</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>待同步</source>
        <translation>Pending</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>已同步</source>
        <translation>Synced</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>冲突</source>
        <translation>Conflict</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>被拒绝</source>
        <translation>Rejected</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>只在本机，尚未上报县局（本机未注册或从未同步）。</source>
        <translation>Only on this workstation; not sent to the bureau yet (not enrolled, or never synced).</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>本机有修改，等待下次同步上报。</source>
        <translation>Changed here; waiting for the next sync.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>与县局服务器一致。</source>
        <translation>Same as on the bureau&apos;s server.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>与其他工作站的修改冲突，请到“同步”页处理。</source>
        <translation>Conflicts with a change made at another workstation; resolve it on the Sync page.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>县局服务器拒绝了本机的修改。</source>
        <translation>The bureau&apos;s server refused this workstation&apos;s change.</translation>
    </message>
    <message>
        <location line="+54"/>
        <source>县局服务器拒绝了本机的修改：{reason}</source>
        <translation>The bureau&apos;s server refused this workstation&apos;s change: {reason}</translation>
    </message>
</context>
<context>
    <name>SyncLabels</name>
    <message>
        <location filename="../../lawsup_desktop/ui/sync/labels.py" line="+17"/>
        <source>警情</source>
        <translation>Incident</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>回访</source>
        <translation>Follow-up</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>盯警记录</source>
        <translation>Daily watch review</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>整改事项</source>
        <translation>Rectification</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>整改进展</source>
        <translation>Rectification progress</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>案件</source>
        <translation>Case</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>案件审核</source>
        <translation>Case audit</translation>
    </message>
    <message>
        <location line="+1"/>
        <location line="+37"/>
        <source>审核意见</source>
        <translation>Review opinion</translation>
    </message>
    <message>
        <location line="-36"/>
        <source>涉案人员</source>
        <translation>Person in the case</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>办案民警</source>
        <translation>Case officer</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>强制措施</source>
        <translation>Coercive measure</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>附件</source>
        <translation>Attachment</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>单位</source>
        <translation>Unit</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>民警</source>
        <translation>Officer</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>考评记分</source>
        <translation>Score entry</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>通报</source>
        <translation>Bulletin</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>冲突处理</source>
        <translation>Conflict resolution</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>警情编号</source>
        <translation>Incident number</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>接警时间</source>
        <translation>Received at</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>警情类别</source>
        <translation>Category</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>重点警情</source>
        <translation>Key incident</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>重点类别</source>
        <translation>Key category</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>地址</source>
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
        <source>报警电话</source>
        <translation>Caller&apos;s phone</translation>
    </message>
    <message>
        <location line="+1"/>
        <location line="+9"/>
        <source>责任单位</source>
        <translation>Responsible unit</translation>
    </message>
    <message>
        <location line="-8"/>
        <source>处警民警</source>
        <translation>Handling officer</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>处理结果</source>
        <translation>Disposition</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>处理情况</source>
        <translation>Handling notes</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>盯警状态</source>
        <translation>Watch state</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>回访状态</source>
        <translation>Follow-up state</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>编号</source>
        <translation>Number</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>问题描述</source>
        <translation>Problem description</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>风险等级</source>
        <translation>Risk level</translation>
    </message>
    <message>
        <location line="+2"/>
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
        <source>整改措施</source>
        <translation>Measures</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>状态</source>
        <translation>State</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>核实情况</source>
        <translation>Verification note</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>审核结论</source>
        <translation>Decision</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>删除时间</source>
        <translation>Deleted at</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>同一字段两边都改了</source>
        <translation>The same field was changed on both sides</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>一边修改、一边删除</source>
        <translation>Edited on one side, deleted on the other</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>同一审核级别有两个意见</source>
        <translation>Two decisions at the same review level</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>与本机记录重复</source>
        <translation>Duplicates a record of this workstation</translation>
    </message>
    <message>
        <location line="+28"/>
        <source>（空）</source>
        <translation>(empty)</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>是</source>
        <translation>Yes</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>否</source>
        <translation>No</translation>
    </message>
</context>
<context>
    <name>SyncPage</name>
    <message>
        <location filename="../../lawsup_desktop/ui/sync/page.py" line="+247"/>
        <source>同步</source>
        <translation>Sync</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>县局同步服务器</source>
        <translation>The bureau&apos;s sync server</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>服务器地址：</source>
        <translation>Server address:</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>注册状态：</source>
        <translation>Enrolment:</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>县局 CA 证书：</source>
        <translation>Bureau&apos;s CA bundle:</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>选择…</source>
        <translation>Choose…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>使用系统证书</source>
        <translation>Use the system&apos;s certificates</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>自动同步间隔：</source>
        <translation>Sync automatically every:</translation>
    </message>
    <message>
        <location line="+1"/>
        <source> 分钟</source>
        <translation> min</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>立即同步</source>
        <translation>Sync now</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>立即同步 (F5)</source>
        <translation>Sync now (F5)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>立即与县局服务器同步（F5 或 Ctrl+Shift+S）</source>
        <translation>Sync with the bureau&apos;s server now (F5 or Ctrl+Shift+S)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>全部用本机的</source>
        <translation>All mine</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>全部用服务器的</source>
        <translation>All the server&apos;s</translation>
    </message>
    <message>
        <location line="+141"/>
        <source>解决冲突</source>
        <translation>Resolve</translation>
    </message>
    <message>
        <location line="-140"/>
        <source>没有待处理的冲突。</source>
        <translation>No conflicts to resolve.</translation>
    </message>
    <message>
        <location line="+144"/>
        <source>逐个字段选择保留哪一边的值（点击该值，或在“采用”列中选择）。解决后，所选的值在下次同步时上报县局，其他工作站随后也会收到。</source>
        <translation>Choose for each field which value to keep (click the value, or choose in the &quot;Keep&quot; column). Once resolved, the chosen values go to the bureau with the next sync and reach the other workstations after that.</translation>
    </message>
    <message>
        <location line="-142"/>
        <location line="+3"/>
        <source>字段</source>
        <translation>Field</translation>
    </message>
    <message>
        <location line="-3"/>
        <source>本机（我的）</source>
        <translation>This workstation (mine)</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>服务器（对方的）</source>
        <translation>Server (theirs)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>修改前</source>
        <translation>Before</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>采用</source>
        <translation>Keep</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>修改时间（本机）</source>
        <translation>Changed at (this computer)</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>记录</source>
        <translation>Record</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>状态</source>
        <translation>State</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>拒绝原因</source>
        <translation>Reason</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>开始（本机时间）</source>
        <translation>Started (this computer)</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>服务器时间</source>
        <translation>Server time</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>上报</source>
        <translation>Sent</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>接收</source>
        <translation>Received</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>冲突</source>
        <translation>Conflict</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>被拒绝</source>
        <translation>Rejected</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>错误</source>
        <translation>Error</translation>
    </message>
    <message>
        <location line="+19"/>
        <source>（未注册）</source>
        <translation>(not enrolled)</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>已注册：{code}，设备 {device}</source>
        <translation>Enrolled: {code}, device {device}</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>重新注册…</source>
        <translation>Enrol again…</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>本机尚未注册，不能同步。</source>
        <translation>This workstation is not enrolled and cannot sync.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>注册本机…</source>
        <translation>Enrol this workstation…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>系统自带的证书</source>
        <translation>The system&apos;s certificates</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>冲突（{n}）</source>
        <translation>Conflicts ({n})</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>被拒绝的更改（{n}）</source>
        <translation>Refused changes ({n})</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>同步记录</source>
        <translation>History</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>上次同步失败：{error}</source>
        <translation>The last sync failed: {error}</translation>
    </message>
    <message>
        <location line="+62"/>
        <source>成功</source>
        <translation>Succeeded</translation>
    </message>
    <message>
        <location line="+24"/>
        <source>确认知悉</source>
        <translation>Acknowledge</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>这类冲突由县局服务器裁定，保留服务器的结果。确认后不再显示；如需更正，请按正常流程另行录入。</source>
        <translation>The bureau&apos;s server decides conflicts of this kind and its result stands. Once acknowledged it is no longer shown; to correct anything, enter it again the usual way.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>{record}：{kind}（服务器记录于 {time}）</source>
        <translation>{record}: {kind} (recorded by the server at {time})</translation>
    </message>
    <message>
        <location line="+15"/>
        <source>本机的</source>
        <translation>Mine</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>服务器的</source>
        <translation>Server&apos;s</translation>
    </message>
    <message>
        <location line="+80"/>
        <source>正在同步…</source>
        <translation>Syncing…</translation>
    </message>
    <message>
        <location line="+26"/>
        <source>选择县局 CA 证书</source>
        <translation>Choose the bureau&apos;s CA bundle</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>证书 (*.pem *.crt *.cer);;所有文件 (*)</source>
        <translation>Certificates (*.pem *.crt *.cer);;All files (*)</translation>
    </message>
</context>
<context>
    <name>SyncStatus</name>
    <message>
        <location filename="../../lawsup_desktop/ui/sync/status.py" line="+27"/>
        <source>上次成功同步：{time}</source>
        <translation>Last synced: {time}</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>尚未成功同步</source>
        <translation>Never synced</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>待同步 {n} 条</source>
        <translation>{n} pending</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>已 {n} 天未同步</source>
        <translation>{n} days offline</translation>
    </message>
    <message>
        <location line="+36"/>
        <source>时钟偏差</source>
        <translation>Clock off</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>正在同步…</source>
        <translation>Syncing…</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>冲突 {n} 条</source>
        <translation>{n} conflicts</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>服务器：{url}</source>
        <translation>Server: {url}</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>同步失败：{error}</source>
        <translation>Sync failed: {error}</translation>
    </message>
</context>
</TS>
