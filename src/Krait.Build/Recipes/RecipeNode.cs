namespace Krait.Build.Recipes;

/// <summary>A recipe's YAML after its expressions are evaluated and its <c>if:</c> items chosen, each node knowing where it was written.</summary>
public abstract record RecipeNode(string File, long Line, long Column)
{
    /// <summary>An error at this node.</summary>
    public RecipeException Error(string problem) => new(File, Line, Column, problem);
}

/// <summary>A mapping, in the order it was written.</summary>
public sealed record RecipeMap(IReadOnlyList<KeyValuePair<string, RecipeNode>> Entries, string File, long Line, long Column) : RecipeNode(File, Line, Column)
{
    public RecipeNode? this[string key] => Entries.FirstOrDefault(e => e.Key == key).Value;

    /// <summary>Refuses keys not in <paramref name="known"/>: a misspelt key would otherwise be a silent no-op.</summary>
    public RecipeMap Allow(string section, params string[] known)
    {
        foreach (var (key, value) in Entries)
        {
            if (Array.IndexOf(known, key) < 0)
            {
                throw value.Error($"unknown key '{key}' in {section} (known: {string.Join(", ", known)})");
            }
        }

        return this;
    }
}

/// <summary>A list, its <c>if:</c> items already replaced by what they chose.</summary>
public sealed record RecipeList(IReadOnlyList<RecipeNode> Items, string File, long Line, long Column) : RecipeNode(File, Line, Column);

/// <summary>A value: a string, a whole number, a float, a boolean, none, or a <see cref="PinRequest"/>.</summary>
public sealed record RecipeScalar(object? Value, string File, long Line, long Column) : RecipeNode(File, Line, Column);
