namespace Shoal.Net.PortMapping;

/// <summary>RFC 6886 3.5's result codes.</summary>
public enum NatPmpResult : ushort
{
    Success = 0,
    UnsupportedVersion = 1,
    NotAuthorized = 2,
    NetworkFailure = 3,
    OutOfResources = 4,
    UnsupportedOpcode = 5,
}
