using System.Collections;
using System.Text;

namespace Shoal.Bencoding;

/// <summary>A bencode dictionary. Entries keep the order they were decoded or added in; encoding sorts them.</summary>
public sealed class BDictionary : BValue, IReadOnlyList<KeyValuePair<BString, BValue>>
{
    private const int IndexThreshold = 16;

    private readonly List<KeyValuePair<BString, BValue>> _entries = [];

    // Built once a dictionary grows past a handful of keys, so lookups in big file trees stay O(1).
    private Dictionary<ReadOnlyMemory<byte>, int>? _index;

    public int Count => _entries.Count;

    public KeyValuePair<BString, BValue> this[int index] => _entries[index];

    /// <summary>Sets a key, replacing an existing entry with the same key.</summary>
    public BDictionary Set(string key, BValue value) => Set(new BString(key), value);

    public BDictionary Set(BString key, BValue value)
    {
        int index = IndexOf(key.Span);
        if (index >= 0)
        {
            _entries[index] = new(key, value);
        }
        else
        {
            _index?.Add(key.Bytes, _entries.Count);
            _entries.Add(new(key, value));
        }

        return this;
    }

    public bool TryGetValue(ReadOnlySpan<byte> key, out BValue value)
    {
        int index = IndexOf(key);
        value = index >= 0 ? _entries[index].Value : null!;
        return index >= 0;
    }

    public bool TryGetValue(string key, out BValue value)
    {
        Span<byte> buffer = stackalloc byte[256];
        int length = Encoding.UTF8.GetByteCount(key);
        Span<byte> bytes = length <= buffer.Length ? buffer[..length] : new byte[length];
        Encoding.UTF8.GetBytes(key, bytes);
        return TryGetValue(bytes, out value);
    }

    public BValue? this[string key] => TryGetValue(key, out BValue value) ? value : null;

    public bool ContainsKey(string key) => TryGetValue(key, out _);

    internal void AddDecoded(BString key, BValue value)
    {
        _index?.TryAdd(key.Bytes, _entries.Count);
        _entries.Add(new(key, value));
    }

    public override void WriteTo(BencodeWriter writer)
    {
        var sorted = new List<KeyValuePair<BString, BValue>>(_entries);
        sorted.Sort(static (a, b) => a.Key.Span.SequenceCompareTo(b.Key.Span));
        writer.WriteDictionaryStart();
        foreach (var (key, value) in sorted)
        {
            writer.WriteString(key.Span);
            value.WriteTo(writer);
        }

        writer.WriteEnd();
    }

    public IEnumerator<KeyValuePair<BString, BValue>> GetEnumerator() => _entries.GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    private int IndexOf(ReadOnlySpan<byte> key)
    {
        if (_entries.Count > IndexThreshold)
        {
            _index ??= BuildIndex();
            return _index.GetAlternateLookup<ReadOnlySpan<byte>>().TryGetValue(key, out int found) ? found : -1;
        }

        for (int i = 0; i < _entries.Count; i++)
        {
            if (_entries[i].Key.Span.SequenceEqual(key))
            {
                return i;
            }
        }

        return -1;
    }

    private Dictionary<ReadOnlyMemory<byte>, int> BuildIndex()
    {
        var index = new Dictionary<ReadOnlyMemory<byte>, int>(_entries.Count, ByteMemoryComparer.Instance);
        for (int i = 0; i < _entries.Count; i++)
        {
            index.TryAdd(_entries[i].Key.Bytes, i);
        }

        return index;
    }
}
