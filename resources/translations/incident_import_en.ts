<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en" sourcelanguage="zh_CN">
<context>
    <name>ImportDialog</name>
    <message>
        <location filename="../../lawsup_desktop/ui/incident_import/dialog.py" line="+281"/>
        <source>导入警情</source>
        <translation>Import incidents</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>文件(&amp;F)：</source>
        <translation>&amp;File:</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>警综平台导出的 CSV（UTF-8/GBK）或 XLSX 文件</source>
        <translation>A CSV (UTF-8/GBK) or XLSX export of the police platform</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>读取(&amp;L)</source>
        <translation>&amp;Load</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>浏览(&amp;B)…</source>
        <translation>&amp;Browse…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>列映射：每个字段取自文件中的哪一列</source>
        <translation>Column mapping: which column of the file each field comes from</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>已保存的映射(&amp;M)：</source>
        <translation>Saved &amp;mapping:</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>映射名称，例如 县局警综平台</source>
        <translation>Mapping name, e.g. County platform</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>保存映射(&amp;S)</source>
        <translation>&amp;Save mapping</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>{field}取自文件中的这一列</source>
        <translation>{field} is read from this column of the file</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>预览（前{n}行）</source>
        <translation>Preview (first {n} rows)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>校验报告</source>
        <translation>Validation report</translation>
    </message>
    <message>
        <location line="+2"/>
        <location line="+199"/>
        <source>行</source>
        <translation>Row</translation>
    </message>
    <message>
        <location line="-199"/>
        <source>列</source>
        <translation>Column</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>类别</source>
        <translation>Kind</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>问题</source>
        <translation>Problem</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>新建名册中没有的单位(&amp;U)</source>
        <translation>Create &amp;units missing from the roster</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>校验(&amp;V)</source>
        <translation>&amp;Validate</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>导入(&amp;I)</source>
        <translation>&amp;Import</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>关闭</source>
        <translation>Close</translation>
    </message>
    <message>
        <location line="+27"/>
        <source>选择警情导出文件</source>
        <translation>Choose an incident export</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>表格文件 (*.csv *.xlsx);;所有文件 (*)</source>
        <translation>Spreadsheets (*.csv *.xlsx);;All files (*)</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>请先选择要导入的文件。</source>
        <translation>Choose the file to import first.</translation>
    </message>
    <message>
        <location line="+15"/>
        <source>正在读取文件…</source>
        <translation>Reading the file…</translation>
    </message>
    <message>
        <location line="+20"/>
        <source>请为这些字段选择文件中的列：{fields}</source>
        <translation>Choose the file&apos;s column for these fields: {fields}</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>尚未读取文件。</source>
        <translation>No file read yet.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>{kind}，{encoding} 编码</source>
        <translation>{kind}, {encoding} encoding</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>{name}：{kind}，表头在第{row}行，共{columns}列</source>
        <translation>{name}: {kind}, header on row {row}, {columns} columns</translation>
    </message>
    <message>
        <location line="+24"/>
        <source>（不导入）</source>
        <translation>(not imported)</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>{header}（文件中没有）</source>
        <translation>{header} (not in the file)</translation>
    </message>
    <message>
        <location line="+16"/>
        <source>（当前的列映射）</source>
        <translation>(the current mapping)</translation>
    </message>
    <message>
        <location line="+24"/>
        <source>已使用保存的映射“{name}”。</source>
        <translation>Using the saved mapping &apos;{name}&apos;.</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>列映射是空的：请先读取文件并选择列。</source>
        <translation>The mapping is empty: read a file and choose its columns first.</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>列映射已保存为“{name}”。</source>
        <translation>Mapping saved as &apos;{name}&apos;.</translation>
    </message>
    <message>
        <location line="+86"/>
        <source>正在校验文件…</source>
        <translation>Validating the file…</translation>
    </message>
    <message>
        <location line="+17"/>
        <source>正在导入警情…</source>
        <translation>Importing incidents…</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>导入完成。</source>
        <translation>Import finished.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>文件有错误，未写入任何记录。请按校验报告修改文件后重试。</source>
        <translation>The file has errors; nothing was written. Correct the file as the report says and try again.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>已取消，未写入任何记录。</source>
        <translation>Cancelled; nothing was written.</translation>
    </message>
    <message>
        <location line="+18"/>
        <location line="+16"/>
        <source>文件</source>
        <translation>File</translation>
    </message>
    <message>
        <location line="-15"/>
        <location line="+16"/>
        <source>错误</source>
        <translation>Error</translation>
    </message>
    <message>
        <location line="-12"/>
        <source>无法读取这个文件，未写入任何记录。</source>
        <translation>This file cannot be read; nothing was written.</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>提示</source>
        <translation>Warning</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>另有{n}条问题未列出。</source>
        <translation>{n} more problems are not listed.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>新建单位：{units}</source>
        <translation>Units created: {units}</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>校验通过：可以导入。</source>
        <translation>Validation passed: ready to import.</translation>
    </message>
</context>
</TS>
