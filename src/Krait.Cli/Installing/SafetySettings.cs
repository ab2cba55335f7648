using System.Globalization;
using Krait.Cli.Output;
using Krait.Configuration;
using Krait.Install.Transactions;

namespace Krait.Cli.Installing;

/// <summary>
/// The safety knobs of <c>.condarc</c> (and their <c>CONDA_</c>/<c>KRAIT_</c> variables): <c>link_scripts</c>
/// (run, skip, refuse), <c>link_script_timeout</c> (seconds; 0 for none), <c>safety_checks</c> (warn, enabled,
/// disabled) and <c>extra_safety_checks</c> (true/false). A value that is none of these is an error naming the key.
/// </summary>
internal static class SafetySettings
{
    public static readonly TimeSpan DefaultLinkScriptTimeout = TimeSpan.FromMinutes(5);

    public static LinkScriptPolicy LinkScripts(CondaConfig config) => (config.Scalar("link_scripts") ?? "run").ToLowerInvariant() switch
    {
        "run" or "true" => LinkScriptPolicy.Run,
        "skip" or "false" => LinkScriptPolicy.Skip,
        "refuse" => LinkScriptPolicy.Refuse,
        var other => throw new KraitException("ArgumentError", $"link_scripts '{other}' is not one of run, skip, refuse", "fix link_scripts in .condarc (or KRAIT_LINK_SCRIPTS)"),
    };

    public static TimeSpan? LinkScriptTimeout(CondaConfig config)
    {
        var text = config.Scalar("link_script_timeout");
        if (text is null)
        {
            return DefaultLinkScriptTimeout;
        }

        return double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds) && seconds >= 0 && seconds <= TimeSpan.MaxValue.TotalSeconds
            ? seconds == 0 ? null : TimeSpan.FromSeconds(seconds)
            : throw new KraitException("ArgumentError", $"link_script_timeout '{text}' is not a number of seconds", "fix link_script_timeout in .condarc (0 means no limit)");
    }

    public static SafetyChecks SafetyChecks(CondaConfig config) => (config.Scalar("safety_checks") ?? "warn").ToLowerInvariant() switch
    {
        "warn" => Install.Transactions.SafetyChecks.Warn,
        "enabled" => Install.Transactions.SafetyChecks.Enabled,
        "disabled" => Install.Transactions.SafetyChecks.Disabled,
        var other => throw new KraitException("ArgumentError", $"safety_checks '{other}' is not one of warn, enabled, disabled", "fix safety_checks in .condarc"),
    };

    public static bool ExtraSafetyChecks(CondaConfig config) => (config.Scalar("extra_safety_checks") ?? "false").ToLowerInvariant() switch
    {
        "true" or "yes" or "1" => true,
        "false" or "no" or "0" => false,
        var other => throw new KraitException("ArgumentError", $"extra_safety_checks '{other}' is not true or false", "fix extra_safety_checks in .condarc"),
    };

    public static string Describe(LinkScriptPolicy policy) => policy switch
    {
        LinkScriptPolicy.Run => "run as you; link_scripts: skip or refuse in .condarc, or --no-scripts, to stop them",
        LinkScriptPolicy.Skip => "not run: link_scripts: skip",
        _ => "refused: link_scripts: refuse",
    };
}
