using Krait.Conda.Records;
using Krait.Packages;

namespace Krait.Install.Transactions;

/// <summary>
/// conda's <c>safety_checks</c> before a transaction touches the prefix: each package's files against its
/// <c>info/paths.json</c>. What Krait found when it unpacked the entry is read back (no file is read again); an entry
/// another tool unpacked is checked by size, and everything is hashed again with <c>extra_safety_checks</c>.
/// Mismatches are warnings, or a refusal with <see cref="SafetyChecks.Enabled"/>.
/// </summary>
internal sealed class PayloadCheckStage(SafetyChecks mode, bool extra)
{
    private const int Shown = 5;

    public IReadOnlyList<string> Check(PackageRecord record, string extracted)
    {
        if (mode == SafetyChecks.Disabled)
        {
            return [];
        }

        var mismatches = extra ? PayloadCheck.Verify(extracted, hash: true) : PayloadCheck.ReadMarker(extracted) ?? PayloadCheck.Verify(extracted, hash: false);
        if (mismatches.Count == 0)
        {
            return [];
        }

        var listed = string.Join("; ", mismatches.Take(Shown)) + (mismatches.Count > Shown ? $"; and {mismatches.Count - Shown} more" : string.Empty);
        if (mode == SafetyChecks.Enabled)
        {
            throw new HostileArchiveException(record.FileName, null, $"holds files that differ from its info/paths.json (safety_checks: enabled): {listed}");
        }

        return [$"SafetyWarning: {record} holds files that differ from its info/paths.json: {listed}"];
    }
}
