Attribute VB_Name = "{{module}}"
' Macros behind the buttons and the right-click entries of the Relances sheet.
' Source: relances_xl/excel/vba/Relances.bas, completed from layout.py by
' relances_xl/excel/vba_project.py (one Sub per entry of layout.MACROS) at `relances-xl build`.
' Change the source and rebuild: edits made in the VBA editor are lost at the next build.
Option Explicit

#If Mac Then
#ElseIf VBA7 Then
    Private Declare PtrSafe Function SetEnvironmentVariableW Lib "kernel32" _
        (ByVal lpName As LongPtr, ByVal lpValue As LongPtr) As Long
#Else
    Private Declare Function SetEnvironmentVariableW Lib "kernel32" _
        (ByVal lpName As Long, ByVal lpValue As Long) As Long
#End If

Public Sub PreparePython()
    ' The xlwings.conf sheet names the interpreter as %{{python_variable}}%: xlwings expands
    ' it through WScript.Shell, which reads this process's environment, so setting the
    ' variable here lets the workbook find a venv in its own folder first, then the
    ' user's venv, then whatever "python" is on the PATH. Nothing to do on macOS, where
    ' xlwings.conf names the user's venv directly.
#If Not Mac Then
    Dim candidate As String
    candidate = FirstExisting(ThisWorkbook.Path & "\{{workbook_venv}}\Scripts\python.exe", _
                              Environ("USERPROFILE") & "\{{user_venv}}\Scripts\python.exe")
    If candidate = "" Then candidate = "python"
    SetEnvironmentVariableW StrPtr("{{python_variable}}"), StrPtr(candidate)
#End If
End Sub

Private Function FirstExisting(ParamArray paths() As Variant) As String
    ' Dir raises on URLs (a workbook opened from SharePoint): such a path does not count.
    Dim i As Long
    On Error Resume Next
    For i = LBound(paths) To UBound(paths)
        If Len(Dir(CStr(paths(i)))) > 0 Then
            If Err.Number = 0 Then
                FirstExisting = CStr(paths(i))
                Exit Function
            End If
        End If
        Err.Clear
    Next i
End Function

Private Function PythonString(ByVal text As String) As String
    ' A Python string literal of text, safe on every road RunPython takes (cmd.exe on
    ' Windows, the shell and AppleScript on macOS): letters and digits as they are, any
    ' other character as \uXXXX, so no quote, backslash, space, %, & or | in a file's
    ' path can end the literal or the command early.
    Dim i As Long, ch As String, result As String
    result = "'"
    For i = 1 To Len(text)
        ch = Mid$(text, i, 1)
        If ch Like "[A-Za-z0-9]" Then
            result = result & ch
        Else
            result = result & "\u" & Right$("000" & Hex$(AscW(ch) And &HFFFF&), 4)
        End If
    Next i
    PythonString = result & "'"
End Function

' --- one macro per entry of layout.MACROS, generated at build ----------------------
{{macros}}
