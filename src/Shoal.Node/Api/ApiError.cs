namespace Shoal.Node.Api;

/// <summary>The body of every refused request: <c>{"error": "…"}</c>.</summary>
public sealed record ApiError(string Error);
