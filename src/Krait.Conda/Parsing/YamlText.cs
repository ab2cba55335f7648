using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Krait.Conda.Parsing;

/// <summary>
/// Loads YAML text (<c>.condarc</c>, <c>environment.yml</c>) so that every malformed input is a
/// <see cref="FormatException"/> saying <c>FILE:LINE:COL: invalid YAML: …</c>, including the inputs on which
/// YamlDotNet's scanner fails with an <see cref="InvalidOperationException"/> instead of a <see cref="YamlException"/>
/// (e.g. <c>a: [</c> followed by <c>b: c</c>).
/// </summary>
public static class YamlText
{
    public static YamlStream Load(string yaml, string source)
    {
        ArgumentNullException.ThrowIfNull(yaml);
        var scanner = new Scanner(new StringReader(yaml));
        var stream = new YamlStream();
        try
        {
            stream.Load(new Parser(scanner));
            return stream;
        }
        catch (YamlException e)
        {
            throw new FormatException($"{source}:{e.Start.Line}:{e.Start.Column}: invalid YAML: {e.Message}", e);
        }
        catch (InvalidOperationException e)
        {
            var at = scanner.CurrentPosition;
            throw new FormatException($"{source}:{at.Line}:{at.Column}: invalid YAML: the text cannot be read from here on (an unclosed bracket or quote?)", e);
        }
    }
}
