namespace Shoal.Bencoding;

public enum BencodeTokenKind
{
    None,
    Integer,
    String,
    ListStart,
    DictionaryStart,
    End,
}
