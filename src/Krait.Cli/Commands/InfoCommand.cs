using System.CommandLine;
using System.Globalization;
using Krait.Cli.Output;
using Krait.Conda.Channels;
using Krait.Configuration;
using Krait.Configuration.VirtualPackages;

namespace Krait.Cli.Commands;

/// <summary><c>krait info [--json]</c>: version, platform, virtual packages, configuration files, caches and environment folders.</summary>
public static class InfoCommand
{
    public static Command Create()
    {
        var json = new Option<bool>("--json") { Description = "print the information as JSON" };
        var command = new Command("info", "Show Krait's version, platform, virtual packages and locations.") { json };
        command.SetAction(parse =>
        {
            var asJson = parse.GetValue(json);
            return CommandRunner.Run(asJson, () => Run(asJson));
        });
        return command;
    }

    private static int Run(bool json)
    {
        var config = CondaConfig.Load();
        var locations = KraitLocations.Resolve(config);
        var platform = MachinePlatform.Current;
        var virtualPackages = VirtualPackageDetector.Detect(platform);
        var activePrefix = Environment.GetEnvironmentVariable("CONDA_PREFIX");
        // The same answer every other command acts on (.condarc, CONDA_OFFLINE and KRAIT_OFFLINE).
        var offline = Remote.RemoteAccess.IsOffline(config, offlineFlag: false);
        var userRc = Path.Combine(KraitLocations.Home, ".condarc");

        // Channels as configured may carry tokens (/t/…) and passwords (user:password@): never shown.
        var channels = config.Channels.Select(Channel.Redact).ToList();
        if (json)
        {
            JsonOutput.Write(w =>
            {
                w.WriteStartObject();
                w.WriteString("active_prefix", activePrefix);
                WriteList(w, "channels", channels);
                WriteList(w, "config_files", config.FilesRead);
                WriteList(w, "envs_dirs", locations.EnvsDirs);
                w.WriteString("krait_version", KraitInfo.Version);
                w.WriteBoolean("offline", offline);
                WriteList(w, "pkgs_dirs", locations.PkgsDirs);
                w.WriteString("platform", platform);
                w.WriteString("root_prefix", locations.RootPrefix);
                w.WriteString("user_agent", KraitInfo.UserAgent);
                w.WriteString("user_rc_path", userRc);
                w.WriteStartArray("virtual_pkgs");
                foreach (var package in virtualPackages)
                {
                    w.WriteStartArray();
                    w.WriteStringValue(package.Name);
                    w.WriteStringValue(package.Version);
                    w.WriteStringValue(package.Build);
                    w.WriteEndArray();
                }

                w.WriteEndArray();
                w.WriteEndObject();
            });
            return 0;
        }

        var output = Console.Out;
        void Line(string label, string value) => output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{label,25} : {value}"));
        void Lines(string label, IReadOnlyList<string> values)
        {
            Line(label, values.Count == 0 ? "(none)" : values[0]);
            foreach (var value in values.Skip(1))
            {
                output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{string.Empty,25}   {value}"));
            }
        }

        output.WriteLine();
        Line("active environment", activePrefix ?? "None");
        Line("krait version", KraitInfo.Version);
        Line("platform", platform);
        Line("user-agent", KraitInfo.UserAgent);
        Lines("virtual packages", [.. virtualPackages.Select(p => p.ToString())]);
        Line("root prefix", locations.RootPrefix);
        Line("user config file", userRc);
        Lines("config files", config.FilesRead);
        Lines("channels", channels);
        Lines("package cache", locations.PkgsDirs);
        Lines("envs directories", locations.EnvsDirs);
        Line("offline mode", offline ? "True" : "False");
        output.WriteLine();
        return 0;
    }

    private static void WriteList(System.Text.Json.Utf8JsonWriter writer, string name, IEnumerable<string> values)
    {
        writer.WriteStartArray(name);
        foreach (var value in values)
        {
            writer.WriteStringValue(value);
        }

        writer.WriteEndArray();
    }
}
