<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en" sourcelanguage="zh_CN">
<context>
    <name>AboutDialog</name>
    <message>
        <location filename="../../lawsup_desktop/ui/about.py" line="+58"/>
        <source>关于</source>
        <translation>About</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>派出所法制监督员工作台</source>
        <translation>Legal Supervisor&apos;s Workbench for Police Stations</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>lawsup 版本 {version}</source>
        <translation>lawsup version {version}</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>数据文件夹：{path}</source>
        <translation>Data folder: {path}</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>数据库结构版本：{revision}（本程序：{head}）</source>
        <translation>Database schema revision: {revision} (this program: {head})</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>界面字体为文泉驿微米黑（WenQuanYi Micro Hei），依照 Apache License 2.0 许可随本程序分发；许可证全文见程序资源中的 fonts/wqy-microhei.LICENSE.txt。</source>
        <translation>The interface font is WenQuanYi Micro Hei, distributed with this program under the Apache License 2.0; the full licence text is in the program&apos;s resources, fonts/wqy-microhei.LICENSE.txt.</translation>
    </message>
</context>
<context>
    <name>ErrorDialog</name>
    <message>
        <location filename="../../lawsup_desktop/ui/error_hook.py" line="+69"/>
        <source>意外错误</source>
        <translation>Unexpected error</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>程序发生了意外错误，刚才的操作可能没有完成。请把详情复制给系统管理员。</source>
        <translation>Something unexpected went wrong, and what you just did may not have been completed. Please copy the details and send them to your system administrator.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>详情已记录在日志文件：{path}</source>
        <translation>The details were written to the log file: {path}</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>日志文件尚未设置，详情没有写入日志。</source>
        <translation>No log file is set up yet, so the details were not logged.</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>复制详情</source>
        <translation>Copy details</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>关闭</source>
        <translation>Close</translation>
    </message>
    <message>
        <location line="+23"/>
        <source>已复制</source>
        <translation>Copied</translation>
    </message>
</context>
<context>
    <name>ErrorHook</name>
    <message>
        <location line="+116"/>
        <source>提示</source>
        <translation>Notice</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <location filename="../../lawsup_desktop/ui/main_window.py" line="+184"/>
        <source>{station} - 派出所法制监督员工作台</source>
        <translation>{station} - Legal Supervisor&apos;s Workbench</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>文件(&amp;F)</source>
        <translation>&amp;File</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>转到(&amp;G)</source>
        <translation>&amp;Go</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>帮助(&amp;H)</source>
        <translation>&amp;Help</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>导入警情(&amp;I)…</source>
        <translation>&amp;Import incidents…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>设置(&amp;S)…</source>
        <translation>&amp;Settings…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>退出(&amp;X)</source>
        <translation>E&amp;xit</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>关于(&amp;A)</source>
        <translation>&amp;About</translation>
    </message>
    <message>
        <location line="+18"/>
        <source>操作员：{name}（{role}）</source>
        <translation>Operator: {name} ({role})</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>本所：{name}（{code}）</source>
        <translation>Station: {name} ({code})</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>未配置同步服务器</source>
        <translation>No sync server configured</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>尚未同步</source>
        <translation>Not synced yet</translation>
    </message>
</context>
<context>
    <name>Pages</name>
    <message>
        <location filename="../../lawsup_desktop/ui/pages.py" line="+73"/>
        <source>今日盯警</source>
        <translation>Today&apos;s watch</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>逐条查看当天的重点警情（涉黄、涉赌、涉黑恶、涉诈骗），记录盯警结论；发现问题的，直接列入整改台账。</source>
        <translation>Go through the day&apos;s key incidents (vice, gambling, gang crime, fraud) one by one and record the outcome of the watch; a problem found goes straight into the rectification ledger.</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>警情与回访</source>
        <translation>Incidents and follow-ups</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>登记和导入警情，安排当场面访、电话回访和上门走访，记录当事人的评价；对不满意的回访，转交责任单位并跟踪其反馈。</source>
        <translation>Register and import incidents, arrange on-site, phone and home-visit follow-ups and record how the parties rate them; pass a dissatisfied follow-up to the responsible unit and track its response.</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>案件审核</source>
        <translation>Case audit</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>填写案件审核调查登记表，由办案民警、所队分管领导、法制监督员、法制民警、局领导五级逐级审核签署意见，并打印登记表。</source>
        <translation>Fill in the case audit registration form, have it reviewed and signed level by level by the case officer, the station/team leader, the legal supervisor, the bureau legal officer and the bureau leader, and print the form.</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>整改台账</source>
        <translation>Rectifications</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>登记检查中发现的负面清单问题，明确责任单位、责任人和整改期限，跟踪到核实销号；逾期未整改的逐级升级督办。</source>
        <translation>Record the negative-list problems found in inspections with the responsible unit, the responsible officer and the deadline, and track each one until it is verified and signed off; items not fixed in time are escalated level by level.</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>期限预警</source>
        <translation>Deadline alerts</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>按法定期限计算强制措施和办案期限（节假日顺延、鉴定期间不计入），提前提示即将到期和已经超期的案件，逐一销账清零。</source>
        <translation>Work out the legal time limits of coercive measures and of case handling (extended over holidays, paused while an appraisal runs), warn in advance of cases about to reach their deadline or past it, and clear them one by one.</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>统计通报</source>
        <translation>Statistics and bulletins</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>汇总每日执法情况，生成日常执法质量巡查通报和月度执法质量考评排名，计算达标得分、过错扣分和积分消抵。</source>
        <translation>Summarise the daily enforcement situation, produce the enforcement-quality inspection bulletins and the monthly enforcement-quality ranking, and compute points earned, points deducted and offsets.</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>同步</source>
        <translation>Sync</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>与县局法制大队的服务器交换数据：上报本所的台账，接收挂牌督办事项、执法指引和负面清单的更新。</source>
        <translation>Exchange data with the server of the county bureau&apos;s legal affairs brigade: report the station&apos;s ledgers, and receive bureau-supervised items, enforcement guidance and updates to the negative list.</translation>
    </message>
</context>
<context>
    <name>Preferences</name>
    <message>
        <location filename="../../lawsup_desktop/ui/preferences.py" line="+66"/>
        <source>地址中不能有空格。</source>
        <translation>The address must not contain spaces.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>地址格式不正确。</source>
        <translation>The address is not well-formed.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>地址须以 http:// 或 https:// 开头，例如 https://fzdd.example.com。</source>
        <translation>The address must start with http:// or https://, for example https://fzdd.example.com.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>地址中缺少服务器名称。</source>
        <translation>The address has no server name.</translation>
    </message>
</context>
<context>
    <name>SettingsDialog</name>
    <message>
        <location filename="../../lawsup_desktop/ui/settings_dialog.py" line="+67"/>
        <source>下次启动时将打开：{path}</source>
        <translation>At its next start the program will open: {path}</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>选择数据文件夹</source>
        <translation>Choose the data folder</translation>
    </message>
    <message>
        <location filename="../../ui/settings_dialog.ui" line="+14"/>
        <source>设置</source>
        <translation>Settings</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>界面</source>
        <translation>Interface</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>界面语言(&amp;L)：</source>
        <translation>Interface &amp;language:</translation>
    </message>
    <message>
        <location line="+16"/>
        <source>数据文件夹</source>
        <translation>Data folder</translation>
    </message>
    <message>
        <location line="+15"/>
        <source>更改(&amp;C)…</source>
        <translation>&amp;Change…</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>本所的全部数据、备份和日志都保存在这个文件夹中。更改后，程序在下次启动时打开新的文件夹；已有的数据不会被移动或复制。</source>
        <translation>All of the station&apos;s data, backups and logs are kept in this folder. After a change, the program opens the new folder at its next start; the existing data is not moved or copied.</translation>
    </message>
    <message>
        <location line="+23"/>
        <source>同步</source>
        <translation>Sync</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>服务器地址(&amp;S)：</source>
        <translation>&amp;Server address:</translation>
    </message>
    <message>
        <location line="+17"/>
        <source>县局法制大队提供的同步服务地址；留空表示本机不与服务器同步。</source>
        <translation>The address of the sync service, given by the county bureau&apos;s legal affairs brigade. Leave it empty if this computer does not sync with a server.</translation>
    </message>
</context>
<context>
    <name>SetupDialog</name>
    <message>
        <location filename="../../lawsup_desktop/ui/setup_dialog.py" line="+76"/>
        <source>完成设置</source>
        <translation>Finish setup</translation>
    </message>
    <message>
        <location filename="../../ui/setup_dialog.ui" line="+14"/>
        <source>初始设置</source>
        <translation>First-time setup</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>欢迎使用派出所法制监督员工作台。请先填写本所和操作员的信息：它们会出现在台账和打印的文书上，以后同步时也用来识别本所。</source>
        <translation>Welcome to the Legal Supervisor&apos;s Workbench. First enter your station and the operator: they appear on the ledgers and on printed forms, and identify the station when it syncs.</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>派出所名称(&amp;N)：</source>
        <translation>Station &amp;name:</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>例如：城关派出所</source>
        <translation>For example: 城关派出所</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>派出所代码(&amp;C)：</source>
        <translation>Station &amp;code:</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>本所在警务平台中的单位代码</source>
        <translation>The station&apos;s unit code in the police platform</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>操作员姓名(&amp;O)：</source>
        <translation>&amp;Operator&apos;s name:</translation>
    </message>
    <message>
        <location line="+17"/>
        <source>操作员角色(&amp;R)：</source>
        <translation>Operator&apos;s &amp;role:</translation>
    </message>
</context>
<context>
    <name>Startup</name>
    <message>
        <location filename="../../lawsup_desktop/ui/app.py" line="+199"/>
        <source>正在打开数据库（需要时先备份，再升级或加密），请稍候，不要关闭电脑……</source>
        <translation>Opening the database (backing it up first and upgrading or encrypting it if needed). Please wait and do not switch the computer off…</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>法制监督员工作台</source>
        <translation>Legal Supervisor&apos;s Workbench</translation>
    </message>
    <message>
        <location line="+27"/>
        <source>无法加密数据库</source>
        <translation>Cannot encrypt the database</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>退出</source>
        <translation>Quit</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>无法启动法制监督员工作台</source>
        <translation>The Legal Supervisor&apos;s Workbench cannot start</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>程序没有改动数据库文件。可以用 --data-dir 选择其他数据文件夹，或请系统管理员检查这个文件。</source>
        <translation>The program has not changed the database file. You can choose another data folder with --data-dir, or ask your system administrator to look at this file.</translation>
    </message>
</context>
<context>
    <name>TaskProgressDialog</name>
    <message>
        <location filename="../../lawsup_desktop/ui/tasks.py" line="+121"/>
        <source>请稍候</source>
        <translation>Please wait</translation>
    </message>
    <message>
        <location line="+18"/>
        <source>取消</source>
        <translation>Cancel</translation>
    </message>
    <message>
        <location line="+37"/>
        <source>正在取消…</source>
        <translation>Cancelling…</translation>
    </message>
</context>
</TS>
