<?xml version='1.0' encoding='utf-8'?>
<TS version="2.1" language="en" sourcelanguage="en">
  <context>
    <name>AgeUnits</name>
    <message numerus="yes">
      <source>%n year(s)</source>
      <translation>
        <numerusform>%n year</numerusform>
        <numerusform>%n years</numerusform>
      </translation>
    </message>
    <message numerus="yes">
      <source>%n month(s)</source>
      <translation>
        <numerusform>%n month</numerusform>
        <numerusform>%n months</numerusform>
      </translation>
    </message>
  </context>
  <context>
    <name>AuditTab</name>
    <message numerus="yes">
      <source>%n entry(ies) (the newest {shown} at most).</source>
      <translation>
        <numerusform>%n entry (the newest {shown} at most).</numerusform>
        <numerusform>%n entries (the newest {shown} at most).</numerusform>
      </translation>
    </message>
    <message numerus="yes">
      <source>The audit trail is intact (%n entry(ies) checked).</source>
      <translation>
        <numerusform>The audit trail is intact (%n entry checked).</numerusform>
        <numerusform>The audit trail is intact (%n entries checked).</numerusform>
      </translation>
    </message>
    <message numerus="yes">
      <source>Exported %n entry(ies).</source>
      <translation>
        <numerusform>Exported %n entry.</numerusform>
        <numerusform>Exported %n entries.</numerusform>
      </translation>
    </message>
  </context>
  <context>
    <name>CaseFormPage</name>
    <message numerus="yes">
      <source>Age %n year(s) {problem}</source>
      <translation>
        <numerusform>Age %n year {problem}</numerusform>
        <numerusform>Age %n years {problem}</numerusform>
      </translation>
    </message>
    <message numerus="yes">
      <source>%n question(s) asked earlier on this case; the latest is shown.</source>
      <translation>
        <numerusform>%n question asked earlier on this case; the latest is shown.</numerusform>
        <numerusform>%n questions asked earlier on this case; the latest is shown.</numerusform>
      </translation>
    </message>
  </context>
  <context>
    <name>CaseListPage</name>
    <message numerus="yes">
      <source>%n case(s)</source>
      <translation>
        <numerusform>%n case</numerusform>
        <numerusform>%n cases</numerusform>
      </translation>
    </message>
  </context>
  <context>
    <name>ExtraCaseFields</name>
    <message numerus="yes">
      <source>%n day(s)</source>
      <translation>
        <numerusform>%n day</numerusform>
        <numerusform>%n days</numerusform>
      </translation>
    </message>
    <message numerus="yes">
      <source>%n day(s) ago</source>
      <translation>
        <numerusform>%n day ago</numerusform>
        <numerusform>%n days ago</numerusform>
      </translation>
    </message>
  </context>
  <context>
    <name>TriageBanner</name>
    <message numerus="yes">
      <source>… and %n more: hover here to see all</source>
      <translation>
        <numerusform>… and %n more: hover here to see all</numerusform>
        <numerusform>… and %n more: hover here to see all</numerusform>
      </translation>
    </message>
  </context>
</TS>