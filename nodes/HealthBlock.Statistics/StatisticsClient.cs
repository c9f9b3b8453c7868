using System.Net.Http.Json;
using System.Text;

namespace HealthBlock.Statistics;

/// <summary>Asks a statistics node over HTTP (<see cref="StatisticsHttpApi"/>).</summary>
/// <param name="baseUrl">The node's URL.</param>
public sealed class StatisticsClient(Uri baseUrl) : IDisposable
{
    private readonly HttpClient _http = new() { BaseAddress = baseUrl, Timeout = TimeSpan.FromSeconds(120) };

    /// <summary>Sends a signed request and returns the answer.</summary>
    /// <exception cref="CohortRefusedException">The node refused it.</exception>
    /// <exception cref="HttpRequestException">The node could not be reached.</exception>
    public async Task<CohortAnswer> AskAsync(CohortRequest request, CancellationToken cancellationToken = default)
    {
        using var content = new StringContent(CohortJson.Write(request), Encoding.UTF8, "application/json");
        using var response = await _http.PostAsync(new Uri(CohortJson.CohortRoute, UriKind.Relative), content, cancellationToken).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode)
        {
            throw CohortJson.ReadRefusal(await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false));
        }

        return await response.Content.ReadFromJsonAsync<CohortAnswer>(CohortJson.Options, cancellationToken).ConfigureAwait(false)
            ?? throw new HttpRequestException("The statistics node sent an empty answer.");
    }

    /// <inheritdoc />
    public void Dispose() => _http.Dispose();
}
