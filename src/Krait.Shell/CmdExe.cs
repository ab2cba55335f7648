namespace Krait.Shell;

/// <summary>
/// Windows' <c>cmd.exe</c>. A batch file cannot change its caller's variables through a pipe, so activation code is
/// written to a temporary <c>.bat</c> that the hook <c>CALL</c>s, and <c>krait</c> is a DOSKEY macro, as conda's
/// <c>conda_hook.bat</c> makes <c>conda</c>. Lines end in CRLF, as cmd.exe's labels and GOTO need.
/// </summary>
internal sealed class CmdExe : ShellSyntax
{
    public override string Name => "cmd.exe";

    public override string ScriptExtension => ".bat";

    public override string MarkerLine => $"@REM {Activation.Marker}";

    public override string NewLine => "\r\n";

    // Inside SET "NAME=value" the quotes protect & | < > ^; % still expands in a batch file, so it is doubled.
    public override string Export(string variable, string value) => $"@SET \"{variable}={Escape(value)}\"";

    public override string Unset(string variable) => $"@SET {variable}=";

    public override string Source(string script) => $"@CALL {Quote(script)}";

    public override string Quote(string value) => $"\"{Escape(value)}\"";

    /// <summary>
    /// The hook is itself a batch file: saved somewhere and called once per cmd.exe (from its AutoRun, say), it
    /// defines the <c>krait</c> macro as a call of itself with the word <c>krait</c> first, by which it knows a
    /// command from its own installation. <c>activate</c> and <c>deactivate</c> go through a temporary script,
    /// CALLed only when krait succeeded and the script begins with the marker; everything else runs krait.
    /// </summary>
    public override string Hook(string kraitCommand, bool changePrompt) => string.Join("\r\n",
        "@ECHO OFF",
        "REM krait's cmd.exe hook. Save it:   krait shell hook --shell cmd.exe > \"%USERPROFILE%\\krait_hook.bat\"",
        "REM and run it in each cmd.exe:      CALL \"%USERPROFILE%\\krait_hook.bat\"   (or from cmd.exe's AutoRun)",
        "IF NOT \"%~1\"==\"krait\" (",
        "    DOSKEY krait=CALL \"%~f0\" krait $*",
        "    GOTO :EOF",
        ")",
        "SETLOCAL",
        "FOR /F \"tokens=1,*\" %%A IN (\"%*\") DO SET \"__krait_arguments=%%B\"",
        "IF /I \"%~2\"==\"activate\" GOTO :change",
        "IF /I \"%~2\"==\"deactivate\" GOTO :change",
        $"{kraitCommand} %__krait_arguments%",
        "ENDLOCAL & EXIT /B %ERRORLEVEL%",
        ":change",
        "SET \"__krait_script=%TEMP%\\krait-activate-%RANDOM%%RANDOM%.bat\"",
        $"{kraitCommand} shell %__krait_arguments% --shell cmd.exe > \"%__krait_script%\"",
        "REM %ERRORLEVEL% in a block is read when the block is: krait's status, whatever TYPE and DEL leave.",
        "IF ERRORLEVEL 1 (",
        "    TYPE \"%__krait_script%\"",
        "    DEL \"%__krait_script%\" 2>NUL",
        "    ENDLOCAL & EXIT /B %ERRORLEVEL%",
        ")",
        $"FINDSTR /B /C:\"{MarkerLine}\" \"%__krait_script%\" >NUL",
        "IF ERRORLEVEL 1 (",
        "    TYPE \"%__krait_script%\"",
        "    DEL \"%__krait_script%\" 2>NUL",
        "    ENDLOCAL & EXIT /B 0",
        ")",
        "REM The script must run after ENDLOCAL, or what it sets would be undone with this file's own variables.",
        "ENDLOCAL & SET \"__krait_script=%__krait_script%\"",
        "CALL \"%__krait_script%\"",
        "DEL \"%__krait_script%\" 2>NUL",
        "SET __krait_script=",
        string.Empty);

    /// <summary>conda's rule for cmd.exe: the old modifier taken out of PROMPT, the new one put in front (PROMPT's default is $P$G).</summary>
    public override string? Prompt(string modifier, IReadOnlyDictionary<string, string?> environment)
    {
        ArgumentNullException.ThrowIfNull(environment);
        var prompt = environment.GetValueOrDefault("PROMPT") is { Length: > 0 } set ? set : "$P$G";
        if (environment.GetValueOrDefault("CONDA_PROMPT_MODIFIER") is { Length: > 0 } old)
        {
            prompt = prompt.Replace(old, string.Empty, StringComparison.Ordinal);
        }

        return Export("PROMPT", modifier + prompt);
    }

    // A double quote cannot be set this way, and no Windows path holds one: it is dropped.
    private static string Escape(string value) => value.Replace("%", "%%", StringComparison.Ordinal).Replace("\"", string.Empty, StringComparison.Ordinal);
}
