namespace Shoal.Bencoding;

/// <summary>Decodes bencoded bytes into <see cref="BValue"/> trees that share memory with the input.</summary>
public static class BencodeDecoder
{
    /// <summary>Decodes exactly one value; trailing bytes are an error.</summary>
    public static BValue Decode(ReadOnlyMemory<byte> input, BencodeLimits? limits = null)
    {
        BValue value = DecodePrefix(input, out int consumed, limits);
        if (consumed != input.Length)
        {
            throw new BencodeException($"{input.Length - consumed} unexpected bytes after the value", consumed);
        }

        return value;
    }

    /// <summary>Decodes the value at the start of the input and reports how many bytes it took.</summary>
    public static BValue DecodePrefix(ReadOnlyMemory<byte> input, out int consumed, BencodeLimits? limits = null)
    {
        limits ??= BencodeLimits.Default;
        var reader = new BencodeReader(input.Span, limits);
        reader.Read();
        BValue value = ReadValue(ref reader, input, limits);
        consumed = reader.Position;
        return value;
    }

    /// <summary>Decodes a value that must be a dictionary.</summary>
    public static BDictionary DecodeDictionary(ReadOnlyMemory<byte> input, BencodeLimits? limits = null) =>
        Decode(input, limits) as BDictionary ?? throw new BencodeException("expected a dictionary", 0);

    private static BValue ReadValue(ref BencodeReader reader, ReadOnlyMemory<byte> input, BencodeLimits limits)
    {
        int start = reader.TokenStart;
        BValue value;
        switch (reader.TokenKind)
        {
            case BencodeTokenKind.Integer:
                value = new BInteger(reader.IntegerValue);
                break;
            case BencodeTokenKind.String:
                value = StringAt(ref reader, input);
                break;
            case BencodeTokenKind.ListStart:
                var list = new BList();
                while (reader.Read() && reader.TokenKind != BencodeTokenKind.End)
                {
                    list.Add(ReadValue(ref reader, input, limits));
                }

                value = list;
                break;
            case BencodeTokenKind.DictionaryStart:
                value = ReadDictionary(ref reader, input, limits);
                break;
            default:
                throw new BencodeException("expected a value", reader.TokenStart);
        }

        value.SourceStart = start;
        value.SourceLength = reader.Position - start;
        return value;
    }

    private static BDictionary ReadDictionary(ref BencodeReader reader, ReadOnlyMemory<byte> input, BencodeLimits limits)
    {
        var dictionary = new BDictionary();
        BString? previousKey = null;
        HashSet<ReadOnlyMemory<byte>>? seenKeys = null;
        while (reader.Read() && reader.TokenKind != BencodeTokenKind.End)
        {
            BString key = StringAt(ref reader, input);
            key.SourceStart = reader.TokenStart;
            key.SourceLength = reader.Position - reader.TokenStart;
            if (previousKey is not null && previousKey.Span.SequenceCompareTo(key.Span) >= 0)
            {
                if (limits.RequireSortedKeys)
                {
                    throw new BencodeException(previousKey.Span.SequenceEqual(key.Span)
                        ? "duplicate dictionary key"
                        : "dictionary keys are not sorted", reader.TokenStart);
                }

                // Keys out of order: from here on, duplicates need a set to be found in linear time.
                seenKeys ??= new HashSet<ReadOnlyMemory<byte>>(dictionary.Select(e => e.Key.Bytes), ByteMemoryComparer.Instance);
            }

            if (seenKeys is not null && !seenKeys.Add(key.Bytes))
            {
                throw new BencodeException("duplicate dictionary key", reader.TokenStart);
            }

            previousKey = key;
            reader.Read();
            dictionary.AddDecoded(key, ReadValue(ref reader, input, limits));
        }

        return dictionary;
    }

    private static BString StringAt(ref BencodeReader reader, ReadOnlyMemory<byte> input)
    {
        int length = reader.StringValue.Length;
        return new BString(input.Slice(reader.Position - length, length));
    }
}
