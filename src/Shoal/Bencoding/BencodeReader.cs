using System.Runtime.CompilerServices;

namespace Shoal.Bencoding;

/// <summary>
/// A forward-only tokenizer over one bencoded value (BEP 3). It allocates nothing: strings are
/// slices of the input, and every token reports its byte offset so callers can hash raw ranges.
/// </summary>
public ref struct BencodeReader
{
    private const int MaxSupportedDepth = 256;

    private readonly ReadOnlySpan<byte> _input;
    private readonly BencodeLimits _limits;
    private ContainerStack _isDictionary;
    private int _position;
    private int _depth;
    private int _tokens;
    private bool _expectKey;
    private bool _finished;

    public BencodeReader(ReadOnlySpan<byte> input, BencodeLimits? limits = null)
    {
        _input = input;
        _limits = limits ?? BencodeLimits.Default;
        if (_limits.MaxDepth is < 1 or > MaxSupportedDepth)
        {
            throw new ArgumentOutOfRangeException(nameof(limits), $"MaxDepth must be between 1 and {MaxSupportedDepth}");
        }
    }

    public BencodeTokenKind TokenKind { get; private set; }

    /// <summary>Offset of the first byte of the current token.</summary>
    public int TokenStart { get; private set; }

    /// <summary>Offset just past the current token (for containers, past the start marker).</summary>
    public readonly int Position => _position;

    /// <summary>True when the current string token is a dictionary key.</summary>
    public bool IsKey { get; private set; }

    /// <summary>The bytes of the current string token.</summary>
    public ReadOnlySpan<byte> StringValue { get; private set; }

    /// <summary>The value of the current integer token.</summary>
    public long IntegerValue { get; private set; }

    /// <summary>Advances to the next token. Returns false once the top-level value is complete.</summary>
    public bool Read()
    {
        if (_finished)
        {
            return false;
        }

        if (_position >= _input.Length)
        {
            throw new BencodeException(_position == 0 ? "empty input" : "unexpected end of input", _position);
        }

        TokenStart = _position;
        StringValue = default;
        bool wasKey = _expectKey && _depth > 0 && _isDictionary[_depth - 1];
        IsKey = false;
        byte b = _input[_position];

        if (b == (byte)'e')
        {
            if (_depth == 0)
            {
                throw new BencodeException("unexpected 'e' outside a list or dictionary", _position);
            }

            if (_isDictionary[_depth - 1] && !_expectKey)
            {
                throw new BencodeException("dictionary key has no value", _position);
            }

            _position++;
            _depth--;
            TokenKind = BencodeTokenKind.End;
            AfterValue();
            return true;
        }

        if (wasKey && (b < (byte)'0' || b > (byte)'9'))
        {
            throw new BencodeException("dictionary key must be a string", _position);
        }

        CountToken();
        switch (b)
        {
            case (byte)'i':
                IntegerValue = ParseInteger();
                TokenKind = BencodeTokenKind.Integer;
                AfterValue();
                break;
            case (byte)'l':
            case (byte)'d':
                if (_depth >= _limits.MaxDepth)
                {
                    throw new BencodeException($"nesting deeper than {_limits.MaxDepth} levels", _position);
                }

                _isDictionary[_depth] = b == (byte)'d';
                _depth++;
                _position++;
                _expectKey = b == (byte)'d';
                TokenKind = b == (byte)'d' ? BencodeTokenKind.DictionaryStart : BencodeTokenKind.ListStart;
                break;
            case >= (byte)'0' and <= (byte)'9':
                StringValue = ParseString();
                TokenKind = BencodeTokenKind.String;
                if (wasKey)
                {
                    IsKey = true;
                    _expectKey = false;
                }
                else
                {
                    AfterValue();
                }

                break;
            default:
                throw new BencodeException($"unexpected byte 0x{b:x2}", _position);
        }

        return true;
    }

    /// <summary>Skips the value that starts at the current token (a container is skipped whole).</summary>
    public void SkipValue()
    {
        if (TokenKind is not (BencodeTokenKind.ListStart or BencodeTokenKind.DictionaryStart))
        {
            return;
        }

        int targetDepth = _depth - 1;
        while (Read())
        {
            if (TokenKind == BencodeTokenKind.End && _depth == targetDepth)
            {
                return;
            }
        }
    }

    private void AfterValue()
    {
        if (_depth == 0)
        {
            _finished = true;
        }
        else if (_isDictionary[_depth - 1])
        {
            _expectKey = true;
        }
    }

    private void CountToken()
    {
        if (++_tokens > _limits.MaxTokens)
        {
            throw new BencodeException($"more than {_limits.MaxTokens} tokens", _position);
        }
    }

    private long ParseInteger()
    {
        int start = _position;
        int p = start + 1;
        bool negative = false;
        if (p < _input.Length && _input[p] == (byte)'-')
        {
            negative = true;
            p++;
        }

        int digitsStart = p;
        ulong magnitude = 0;
        while (p < _input.Length && _input[p] is >= (byte)'0' and <= (byte)'9')
        {
            ulong digit = (ulong)(_input[p] - '0');
            if (magnitude > (ulong.MaxValue - digit) / 10)
            {
                throw new BencodeException("integer out of the 64-bit range", start);
            }

            magnitude = (magnitude * 10) + digit;
            p++;
        }

        if (p >= _input.Length)
        {
            throw new BencodeException("unterminated integer", start);
        }

        if (_input[p] != (byte)'e')
        {
            throw new BencodeException($"unexpected byte 0x{_input[p]:x2} in integer", p);
        }

        int digitCount = p - digitsStart;
        if (digitCount == 0)
        {
            throw new BencodeException("integer has no digits", start);
        }

        if (digitCount > 1 && _input[digitsStart] == (byte)'0')
        {
            throw new BencodeException("integer has a leading zero", start);
        }

        if (negative && magnitude == 0)
        {
            throw new BencodeException("integer is negative zero", start);
        }

        long value;
        if (negative)
        {
            if (magnitude > (ulong)long.MaxValue + 1)
            {
                throw new BencodeException("integer out of the 64-bit range", start);
            }

            value = unchecked(-(long)magnitude);
        }
        else
        {
            if (magnitude > long.MaxValue)
            {
                throw new BencodeException("integer out of the 64-bit range", start);
            }

            value = (long)magnitude;
        }

        _position = p + 1;
        return value;
    }

    private ReadOnlySpan<byte> ParseString()
    {
        int start = _position;
        int p = start;
        long length = 0;
        while (p < _input.Length && _input[p] is >= (byte)'0' and <= (byte)'9')
        {
            length = (length * 10) + (_input[p] - '0');
            if (length > int.MaxValue)
            {
                throw new BencodeException("string length is too large", start);
            }

            p++;
        }

        if (p >= _input.Length)
        {
            throw new BencodeException("unterminated string length", start);
        }

        if (_input[p] != (byte)':')
        {
            throw new BencodeException($"unexpected byte 0x{_input[p]:x2} in string length", p);
        }

        if (p - start > 1 && _input[start] == (byte)'0')
        {
            throw new BencodeException("string length has a leading zero", start);
        }

        p++;
        long remaining = _input.Length - p;
        if (length > remaining)
        {
            throw new BencodeException($"string of {length} bytes is longer than the {remaining} bytes left", start);
        }

        _position = p + (int)length;
        return _input.Slice(p, (int)length);
    }

    [InlineArray(MaxSupportedDepth)]
    private struct ContainerStack
    {
        private bool _element;
    }
}
