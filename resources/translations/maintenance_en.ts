<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en" sourcelanguage="zh_CN">
<context>
    <name>BackupActions</name>
    <message>
        <location filename="../../lawsup_desktop/ui/maintenance/backup.py" line="+92"/>
        <source>已自动备份：{name}</source>
        <translation>Automatic backup made: {name}</translation>
    </message>
    <message>
        <location line="+20"/>
        <source>正在备份数据库…</source>
        <translation>Backing up the database…</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>已备份到 {path}</source>
        <translation>Backed up to {path}</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>选择要恢复的备份</source>
        <translation>Choose the backup to restore</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>数据库备份 (*.sqlite);;所有文件 (*)</source>
        <translation>Database backups (*.sqlite);;All files (*)</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>正在读取备份…</source>
        <translation>Reading the backup…</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>{kind}：{count}</source>
        <translation>{kind}: {count}</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>从备份恢复</source>
        <translation>Restore from a backup</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>用这份备份替换当前数据库？</source>
        <translation>Replace the current database with this backup?</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>备份时间：{time}
派出所：{station}
{counts}

恢复前，当前数据库会先自动备份。恢复后，备份时间之后录入的内容将不再显示。</source>
        <translation>Made at: {time}
Station: {station}
{counts}

The current database is backed up first. After the restore, whatever was entered after the backup was made no longer shows.</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>恢复</source>
        <translation>Restore</translation>
    </message>
    <message>
        <location line="+25"/>
        <source>正在从备份恢复…</source>
        <translation>Restoring from the backup…</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>已从备份恢复（{time}）。</source>
        <translation>Restored from the backup ({time}).</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>原数据库已备份为 {name}。</source>
        <translation> The previous database was saved as {name}.</translation>
    </message>
</context>
<context>
    <name>LockController</name>
    <message>
        <location filename="../../lawsup_desktop/ui/maintenance/lock.py" line="+214"/>
        <source>锁定工作台</source>
        <translation>Lock the workbench</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>尚未设置锁屏密码。设置密码后才能锁定工作台。现在设置吗？</source>
        <translation>No lock password is set yet. The workbench can only be locked once a password is set. Set one now?</translation>
    </message>
    <message>
        <location line="+56"/>
        <source>请输入密码。</source>
        <translation>Please enter the password.</translation>
    </message>
    <message>
        <location line="+16"/>
        <source>密码不正确，请重新输入。</source>
        <translation>The password is not correct. Try again.</translation>
    </message>
</context>
<context>
    <name>LockScreen</name>
    <message>
        <location line="-175"/>
        <source>工作台已锁定</source>
        <translation>The workbench is locked</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>请操作员 {name} 输入密码解锁。</source>
        <translation>Operator {name}: enter your password to unlock.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>操作员密码</source>
        <translation>Operator&apos;s password</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>解锁(&amp;U)</source>
        <translation>&amp;Unlock</translation>
    </message>
</context>
<context>
    <name>LockSettingsDialog</name>
    <message>
        <location line="+252"/>
        <source>锁屏密码与自动锁定</source>
        <translation>Lock password and automatic locking</translation>
    </message>
    <message>
        <location line="+8"/>
        <source> 分钟</source>
        <translation> min</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>不自动锁定</source>
        <translation>Never lock by itself</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>原密码(&amp;O)：</source>
        <translation>Current passw&amp;ord:</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>新密码(&amp;N)：</source>
        <translation>&amp;New password:</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>确认新密码(&amp;C)：</source>
        <translation>&amp;Confirm new password:</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>空闲多久后锁定(&amp;I)：</source>
        <translation>Lock after &amp;idle time:</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>不修改密码时，密码栏留空即可。</source>
        <translation>To keep the password, leave the password fields empty.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>设置密码后，可随时按 Ctrl+L 锁定工作台。</source>
        <translation>Once a password is set, Ctrl+L locks the workbench at any time.</translation>
    </message>
</context>
<context>
    <name>Maintenance</name>
    <message>
        <location filename="../../lawsup_desktop/ui/maintenance/__init__.py" line="+64"/>
        <source>立即备份(&amp;B)</source>
        <translation>&amp;Back up now</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>从备份恢复(&amp;R)…</source>
        <translation>&amp;Restore from a backup…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>锁定(&amp;L)</source>
        <translation>&amp;Lock</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>锁屏密码与自动锁定(&amp;P)…</source>
        <translation>Lock &amp;password and automatic locking…</translation>
    </message>
</context>
</TS>
