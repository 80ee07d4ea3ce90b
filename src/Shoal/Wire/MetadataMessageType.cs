namespace Shoal.Wire;

/// <summary>BEP 9 <c>msg_type</c> of a <c>ut_metadata</c> message.</summary>
public enum MetadataMessageType
{
    Request = 0,
    Data = 1,
    Reject = 2,
}
