namespace Shoal.Node.Web;

/// <summary>One file of the web UI as the node serves it: its URL path, bytes, media type and validator.</summary>
internal sealed record WebAsset(string Route, byte[] Content, string ContentType, string ETag);
