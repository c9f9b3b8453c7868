using System.Net.Http.Headers;
using System.Text.Json;
using HealthBlock.Crypto;

namespace HealthBlock.Gateway.Admin;

/// <summary>
/// Asks a running gateway for admin operations over its loopback <see cref="AdminEndpoint"/>, signing each request with
/// the patient's key (<see cref="AdminRequestSignature"/>). Refusals come back as <see cref="GatewayAdminException"/>.
/// </summary>
public sealed class AdminClient : IGatewayAdmin, IDisposable
{
    private readonly HttpClient _http;
    private readonly IdentityKey _patient;
    private readonly TimeProvider _time;

    /// <summary>A client of the endpoint at <paramref name="url"/>; the key stays owned by the caller.</summary>
    public AdminClient(Uri url, IdentityKey patient, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(url);
        ArgumentNullException.ThrowIfNull(patient);
        _http = new HttpClient { BaseAddress = url, Timeout = TimeSpan.FromMinutes(2) };
        _patient = patient;
        _time = time ?? TimeProvider.System;
    }

    /// <inheritdoc />
    public Task<PairedDevice> PairAsync(PairRequest request, CancellationToken cancellationToken = default) =>
        SendAsync<PairedDevice>(HttpMethod.Post, "v1/devices", request, cancellationToken);

    /// <inheritdoc />
    public async Task<IReadOnlyList<DeviceSummary>> DevicesAsync(CancellationToken cancellationToken = default) =>
        await SendAsync<List<DeviceSummary>>(HttpMethod.Get, "v1/devices", null, cancellationToken).ConfigureAwait(false);

    /// <inheritdoc />
    public Task<DeviceSummary> UnpairAsync(string device, CancellationToken cancellationToken = default) =>
        SendAsync<DeviceSummary>(HttpMethod.Delete, "v1/devices/" + Uri.EscapeDataString(device), null, cancellationToken);

    /// <inheritdoc />
    public Task<EpochChange> GrantAsync(string doctor, CancellationToken cancellationToken = default) =>
        SendAsync<EpochChange>(HttpMethod.Post, $"v1/doctors/{Uri.EscapeDataString(doctor)}/grant", null, cancellationToken);

    /// <inheritdoc />
    public Task<EpochChange> RevokeAsync(string doctor, CancellationToken cancellationToken = default) =>
        SendAsync<EpochChange>(HttpMethod.Post, $"v1/doctors/{Uri.EscapeDataString(doctor)}/revoke", null, cancellationToken);

    /// <inheritdoc />
    public Task<PaymentResult> PayAsync(PaymentRequest request, CancellationToken cancellationToken = default) =>
        SendAsync<PaymentResult>(HttpMethod.Post, "v1/payments", request, cancellationToken);

    /// <inheritdoc />
    public Task<ConsentResult> ConsentAsync(ConsentRequest request, CancellationToken cancellationToken = default) =>
        SendAsync<ConsentResult>(HttpMethod.Post, "v1/statistics-consent", request, cancellationToken);

    /// <inheritdoc />
    public Task<PatientStatus> StatusAsync(CancellationToken cancellationToken = default) =>
        SendAsync<PatientStatus>(HttpMethod.Get, "v1/status", null, cancellationToken);

    /// <inheritdoc />
    public async Task<IReadOnlyList<ParkedBatch>> ParkedAsync(CancellationToken cancellationToken = default) =>
        await SendAsync<List<ParkedBatch>>(HttpMethod.Get, "v1/parked", null, cancellationToken).ConfigureAwait(false);

    /// <inheritdoc />
    public Task<ParkedBatch> DropParkedAsync(ulong batch, CancellationToken cancellationToken = default) =>
        SendAsync<ParkedBatch>(HttpMethod.Delete, "v1/parked/" + batch.ToString(System.Globalization.CultureInfo.InvariantCulture), null, cancellationToken);

    private async Task<T> SendAsync<T>(HttpMethod method, string path, object? body, CancellationToken cancellationToken)
    {
        var bytes = body is null ? [] : JsonSerializer.SerializeToUtf8Bytes(body, body.GetType(), AdminJson.Options);
        using var request = new HttpRequestMessage(method, path);
        if (body is not null)
        {
            request.Content = new ByteArrayContent(bytes);
            request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        }

        var uri = new Uri(_http.BaseAddress!, path);
        var time = _time.GetUtcNow().ToUnixTimeMilliseconds();
        foreach (var header in AdminRequestSignature.Scheme.Headers(_patient, method.Method, uri.PathAndQuery, time, bytes))
        {
            request.Headers.Add(header.Key, header.Value);
        }
        HttpResponseMessage response;
        try
        {
            response = await _http.SendAsync(request, cancellationToken).ConfigureAwait(false);
        }
        catch (HttpRequestException e)
        {
            throw new GatewayAdminException(503, $"the gateway's admin endpoint {_http.BaseAddress} does not answer: {e.Message}", e);
        }
        catch (TaskCanceledException e) when (!cancellationToken.IsCancellationRequested)
        {
            throw new GatewayAdminException(504, $"the gateway's admin endpoint {_http.BaseAddress} did not answer within {_http.Timeout.TotalSeconds:F0} s", e);
        }

        using (response)
        {
            var text = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
            if (!response.IsSuccessStatusCode)
            {
                throw new GatewayAdminException((int)response.StatusCode, ErrorOf(text) ?? $"the gateway answered {(int)response.StatusCode}");
            }

            return JsonSerializer.Deserialize<T>(text, AdminJson.Options) ?? throw new GatewayAdminException(502, "the gateway answered nothing");
        }
    }

    private static string? ErrorOf(string text)
    {
        try
        {
            using var json = JsonDocument.Parse(text);
            return json.RootElement.TryGetProperty("error", out var error) ? error.GetString() : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <inheritdoc />
    public void Dispose() => _http.Dispose();
}
