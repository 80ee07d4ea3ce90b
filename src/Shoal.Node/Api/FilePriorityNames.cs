using Microsoft.AspNetCore.Http;
using Shoal.Metainfo;

namespace Shoal.Node.Api;

/// <summary>File priorities as the API writes them: <c>skip</c>, <c>normal</c>, <c>high</c>.</summary>
internal static class FilePriorityNames
{
    public static string Name(FilePriority priority) => priority switch
    {
        FilePriority.Skip => "skip",
        FilePriority.High => "high",
        _ => "normal",
    };

    public static FilePriority Parse(string? name) => name switch
    {
        "skip" => FilePriority.Skip,
        "normal" => FilePriority.Normal,
        "high" => FilePriority.High,
        _ => throw new ApiException(StatusCodes.Status400BadRequest, $"priority '{name}' is not skip, normal or high"),
    };
}
