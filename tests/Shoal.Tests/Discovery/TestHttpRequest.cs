namespace Shoal.Tests.Discovery;

/// <summary>A request as <see cref="TestHttpTracker"/> received it.</summary>
internal sealed record TestHttpRequest(string Method, string Target, IReadOnlyList<string> Headers, byte[] Body);
