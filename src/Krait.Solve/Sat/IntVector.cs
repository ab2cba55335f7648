using System.Runtime.CompilerServices;

namespace Krait.Solve.Sat;

/// <summary>
/// A growable list of ints kept as a struct so that watch lists cost one array each and no List object;
/// the propagation loop swaps and truncates in place.
/// </summary>
internal struct IntVector
{
    private int[]? items;

    public int Count { get; private set; }

    public readonly Span<int> AsSpan() => items is null ? [] : items.AsSpan(0, Count);

    public readonly int this[int index]
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => items![index];
    }

    public void Add(int value)
    {
        if (items is null)
        {
            items = new int[4];
        }
        else if (Count == items.Length)
        {
            Array.Resize(ref items, items.Length * 2);
        }

        items[Count++] = value;
    }

    public void Set(int index, int value) => items![index] = value;

    public void Truncate(int count) => Count = count;
}
