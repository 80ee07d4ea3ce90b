namespace Shoal.Wire;

/// <summary>Peer wire message ids: BEP 3, BEP 5 (port), BEP 6 (fast extension), BEP 10, BEP 52.</summary>
public enum MessageId : byte
{
    Choke = 0,
    Unchoke = 1,
    Interested = 2,
    NotInterested = 3,
    Have = 4,
    Bitfield = 5,
    Request = 6,
    Piece = 7,
    Cancel = 8,
    Port = 9,
    SuggestPiece = 0x0D,
    HaveAll = 0x0E,
    HaveNone = 0x0F,
    RejectRequest = 0x10,
    AllowedFast = 0x11,
    Extended = 20,
    HashRequest = 21,
    Hashes = 22,
    HashReject = 23,
}
