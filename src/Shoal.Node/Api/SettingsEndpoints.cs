using Microsoft.AspNetCore.Http;
using Shoal.Node.Settings;
using Shoal.Session;

namespace Shoal.Node.Api;

/// <summary><c>GET</c> and <c>PATCH /api/v1/settings</c>.</summary>
internal sealed class SettingsEndpoints(LiveSettings settings, ShoalSession session)
{
    public Task GetAsync(HttpContext context) => ApiJson.WriteAsync(context, settings.View(), NodeJsonContext.Api.NodeSettingsView);

    public async Task PatchAsync(HttpContext context)
    {
        NodeSettingsPatch patch = await ApiJson.ReadAsync(context, NodeJsonContext.Api.NodeSettingsPatch).ConfigureAwait(false);
        try
        {
            settings.Change(patch, session);
        }
        catch (SettingsException e)
        {
            throw new ApiException(StatusCodes.Status400BadRequest, e.Message);
        }

        await GetAsync(context).ConfigureAwait(false);
    }
}
