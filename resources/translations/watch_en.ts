<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en" sourcelanguage="zh_CN">
<context>
    <name>FindingDialog</name>
    <message>
        <location filename="../../lawsup_desktop/ui/watch/finding.py" line="+68"/>
        <location line="+39"/>
        <source>（未指定）</source>
        <translation>(not specified)</translation>
    </message>
    <message>
        <location line="-14"/>
        <source>发现问题：警情 {number}</source>
        <translation>Problem found: incident {number}</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>保存后生成整改事项，责任单位5个工作日内整改反馈。</source>
        <translation>Saving raises a rectification item; the responsible unit reports back within 5 working days.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>问题类型可输入关键字选择；Enter 保存，Esc 取消。</source>
        <translation>Type a few characters to choose the problem type; Enter saves, Esc cancels.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>问题类型(&amp;T)</source>
        <translation>Problem &amp;type</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>问题说明(&amp;N)</source>
        <translation>&amp;Note</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>责任单位(&amp;U)</source>
        <translation>Responsible &amp;unit</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>责任人(&amp;O)</source>
        <translation>Responsible &amp;officer</translation>
    </message>
    <message>
        <location line="+3"/>
        <location line="+3"/>
        <source>输入关键字，如“降格”</source>
        <translation>Type a keyword, e.g. “lower”</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>发现的问题，如：诈骗警情按纠纷调解处理</source>
        <translation>What was found, e.g. a fraud handled as a mediated dispute</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>保存（Enter）</source>
        <translation>Save (Enter)</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>取消</source>
        <translation>Cancel</translation>
    </message>
</context>
<context>
    <name>QueueModel</name>
    <message>
        <location filename="../../lawsup_desktop/ui/watch/page.py" line="+114"/>
        <source>新</source>
        <translation>new</translation>
    </message>
</context>
<context>
    <name>WatchPage</name>
    <message>
        <location line="+218"/>
        <source>今日盯警</source>
        <translation>Today&apos;s watch</translation>
    </message>
    <message>
        <location line="+2"/>
        <location line="+238"/>
        <source>接警时间</source>
        <translation>Received</translation>
    </message>
    <message>
        <location line="-238"/>
        <location line="+237"/>
        <source>警情编号</source>
        <translation>Incident no.</translation>
    </message>
    <message>
        <location line="-237"/>
        <source>类别</source>
        <translation>Category</translation>
    </message>
    <message>
        <location line="+0"/>
        <location line="+242"/>
        <source>管辖单位</source>
        <translation>Unit</translation>
    </message>
    <message>
        <location line="-241"/>
        <location line="+256"/>
        <source>简要警情</source>
        <translation>Summary</translation>
    </message>
    <message>
        <location line="-254"/>
        <source>已盯无问题（空格）</source>
        <translation>No problem (Space)</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>标记为已盯、无问题，并转到下一条（空格 或 Ctrl+Enter）</source>
        <translation>Mark as watched with no problem and go to the next one (Space or Ctrl+Enter)</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>发现问题…（F）</source>
        <translation>Problem found… (F)</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>记录发现的问题并生成整改事项（F 或 Ctrl+D）；Enter 保存</source>
        <translation>Record the problem found and raise a rectification item (F or Ctrl+D); Enter saves</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>撤销（Ctrl+Z）</source>
        <translation>Undo (Ctrl+Z)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>撤销本人刚才的“已盯无问题”</source>
        <translation>Take back your last “no problem”</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>刷新（F5）</source>
        <translation>Refresh (F5)</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>键盘操作：↑/↓ 选择警情；空格 或 Ctrl+Enter 已盯无问题；F 或 Ctrl+D 发现问题；Ctrl+Z 撤销；F5 刷新。</source>
        <translation>Keys: ↑/↓ choose an incident; Space or Ctrl+Enter no problem; F or Ctrl+D problem found; Ctrl+Z undo; F5 refresh.</translation>
    </message>
    <message>
        <location line="+29"/>
        <source>盯警队列</source>
        <translation>Watch queue</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>盯警队列（{count}）</source>
        <translation>Watch queue ({count})</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>待回访</source>
        <translation>Follow-ups due</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>待回访（{count}）</source>
        <translation>Follow-ups due ({count})</translation>
    </message>
    <message>
        <location line="+119"/>
        <source>待盯 {count}</source>
        <translation>To watch {count}</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>（新增 {count}）</source>
        <translation> ({count} new)</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>今日已盯 {count}</source>
        <translation>Watched today {count}</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>今日发现问题 {count}</source>
        <translation>Problems today {count}</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>此前未盯警</source>
        <translation>No earlier watch</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>上次盯警 {when}</source>
        <translation>Last watch {when}</translation>
    </message>
    <message>
        <location line="+46"/>
        <source>正在读取待盯警情…</source>
        <translation>Reading the incidents to watch…</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>没有待盯的重点警情。</source>
        <translation>No key incidents left to watch.</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>（未填写）</source>
        <translation>(not filled in)</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>警情类别</source>
        <translation>Category</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>发生地点</source>
        <translation>Address</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>报警人</source>
        <translation>Caller</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>处置结果</source>
        <translation>Disposition</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>（无）</source>
        <translation>(none)</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>处警情况</source>
        <translation>Handling notes</translation>
    </message>
    <message>
        <location line="+72"/>
        <source>警情 {number} 已盯无问题（Ctrl+Z 撤销）。</source>
        <translation>Incident {number}: watched, no problem (Ctrl+Z to undo).</translation>
    </message>
    <message>
        <location line="+28"/>
        <source>负面清单尚未读取，请稍候再试。</source>
        <translation>The negative list is still being read; try again in a moment.</translation>
    </message>
    <message>
        <location line="+45"/>
        <source>警情 {number}：已记录问题，生成整改事项 {item}，期限 {due}。</source>
        <translation>Incident {number}: problem recorded, rectification item {item} raised, due {due}.</translation>
    </message>
    <message>
        <location line="+20"/>
        <source>正在保存，请稍候再撤销。</source>
        <translation>Still saving; undo in a moment.</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>已撤销：警情 {number} 回到待盯队列。</source>
        <translation>Undone: incident {number} is back in the queue.</translation>
    </message>
</context>
</TS>
