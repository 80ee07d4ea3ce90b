namespace Shoal.Wire;

/// <summary>The BEP 10 ids our extension handshake asks peers to send each extension's messages under.</summary>
public static class LocalExtensionIds
{
    public const byte UtMetadata = 1;

    public const byte UtPex = 2;

    public const byte UtHolepunch = 3;
}
