using System.Text;
using System.Text.Json;
using HealthBlock.Crypto;
using HealthBlock.Hosting;
using HealthBlock.Ledger;
using HealthBlock.Protocol;
using HealthBlock.Protocol.Ledger;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace HealthBlock.Accounting;

/// <summary>
/// The accounting node's ledger HTTP API, routes per <see cref="LedgerRoutes"/> (JSON per <see cref="LedgerJson"/>; transactions and blocks as canonical CBOR):
/// <list type="table">
/// <item><term>POST /v1/transactions</term><description>body: a signed transaction (application/cbor); 202 accepted / 422 rejected / 503 no leader, with a <see cref="SubmitResult"/>.</description></item>
/// <item><term>GET /v1/transactions/{id}</term><description>a <see cref="CommittedTransaction"/> with its Merkle proof.</description></item>
/// <item><term>GET /v1/transactions/{id}/commit?timeoutMs=</term><description>long-poll until committed: a <see cref="TxLocation"/>, or 504 Timeout.</description></item>
/// <item><term>GET /v1/chains/{userchain|docchain}/blocks/{height}</term><description>the block (application/cbor).</description></item>
/// <item><term>GET /v1/chains/{chain}/stream?from=</term><description>server-sent events, one <c>block</c> event (data: base64 block) per block from that height on.</description></item>
/// <item><term>GET /v1/feed/{chain}?from=</term><description>server-sent events, one <c>block</c> event (data: a <see cref="FeedBlock"/> as JSON: header, and the caller's readable transactions with proofs) per block.</description></item>
/// <item><term>GET /v1/parties/{id}/transactions?chain=&amp;from=&amp;limit=</term><description>transactions of a patient or doctor.</description></item>
/// <item><term>GET /v1/identities/{id}, /v1/patients/{id}/keys, /v1/patients/{id}/latest-key, /v1/balances/{id}, /v1/credits/{doctor}/{patient}, /v1/nonces/{id}, /v1/genesis, /v1/status</term><description>state queries.</description></item>
/// </list>
/// Errors are <c>{"reason": …, "message": …}</c> with 400, 404, 422, 503 or 504.
/// </summary>
/// <param name="node">The node it serves.</param>
/// <param name="options">The listen URL and logging.</param>
/// <param name="log">The node's log.</param>
/// <param name="stopping">Cancelled when the node stops (ends the block streams).</param>
/// <param name="intake">The connection, rate and body bounds.</param>
/// <param name="certificate">The certificate an <c>https://</c> listen URL serves (made on the node key).</param>
internal sealed class LedgerHttpApi(AccountingNode node, AccountingOptions options, ILogger log, HttpIntake intake, System.Security.Cryptography.X509Certificates.X509Certificate2 certificate, CancellationToken stopping)
{
    /// <summary>Builds the web application (not started).</summary>
    public WebApplication Build()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls(options.ListenUrl);
        intake.Configure(builder);
        builder.WebHost.UseKestrelHttpsConfiguration();
        builder.WebHost.ConfigureKestrel(k => k.ConfigureHttpsDefaults(https =>
        {
            https.ServerCertificate = certificate;

            // A client may present a certificate made on its identity key (any key is accepted here: ReadAuthorization
            // decides whether it names a registered identity); one that presents none signs each read instead.
            https.ClientCertificateMode = Microsoft.AspNetCore.Server.Kestrel.Https.ClientCertificateMode.AllowCertificate;
            https.AllowAnyClientCertificate();
            https.SslProtocols = System.Security.Authentication.SslProtocols.Tls12 | System.Security.Authentication.SslProtocols.Tls13;
        }));
        builder.Logging.ClearProviders();
        if (options.LoggerFactory is { } lf)
        {
            builder.Services.AddSingleton(lf);
        }

        builder.Services.ConfigureHttpJsonOptions(o =>
        {
            foreach (var c in LedgerJson.Options.Converters)
            {
                o.SerializerOptions.Converters.Add(c);
            }

            o.SerializerOptions.PropertyNamingPolicy = LedgerJson.Options.PropertyNamingPolicy;
        });
        builder.Services.AddServiceTelemetry([AccountingMetrics.MeterName, HealthBlock.Alerts.AlertMetrics.MeterName]);
        builder.Services.AddOpenApi(LedgerOpenApi.DocumentName, LedgerOpenApi.Configure);
        var app = builder.Build();
        app.UseRequestLogging(options.LoggerFactory ?? Microsoft.Extensions.Logging.Abstractions.NullLoggerFactory.Instance);
        intake.Use(app);
        app.Use(new ReadAuthorization(node, log).InvokeAsync);
        MapRoutes(app);
        app.MapServiceEndpoints(node.Health);
        app.MapOpenApi(LedgerRoutes.OpenApi);
        return app;
    }

    private void MapRoutes(WebApplication app)
    {
        app.MapPost(LedgerRoutes.Transactions, async (HttpRequest request, CancellationToken ct) =>
        {
            using var buffer = new MemoryStream();
            try
            {
                await request.Body.CopyToAsync(buffer, ct).ConfigureAwait(false);
            }
            catch (BadHttpRequestException e) when (e.StatusCode == StatusCodes.Status413PayloadTooLarge)
            {
                intake.BodyRefused(request.HttpContext.Connection.RemoteIpAddress?.ToString());
                return Error(RejectReason.Malformed, $"a transaction is at most {Transaction.MaxSize} bytes", 413);
            }

            Transaction tx;
            var body = buffer.ToArray();
            try
            {
                tx = Transaction.Decode(body);
            }
            catch (ProtocolException e)
            {
                return Results.Json(new SubmitResult(false, "", RejectReason.Malformed, e.Message), LedgerJson.Options, statusCode: 422);
            }

            var result = await node.SubmitAsync(tx, ct).ConfigureAwait(false);
            if (!result.Accepted)
            {
                log.LogWarning("Refused transaction {Id} from {Client}: {Reason}: {Message}", result.TransactionId, request.HttpContext.Connection.RemoteIpAddress, result.Reason, result.Message);
                if (!ForwardedByPeer(request, body))
                {
                    RaiseRefusal(tx, result, request.HttpContext.Connection.RemoteIpAddress?.ToString());
                }
            }

            var status = result.Accepted ? 202 : result.Reason is RejectReason.NoLeader or RejectReason.Overloaded or RejectReason.ChainUnavailable ? 503 : 422;
            return Results.Json(result, LedgerJson.Options, statusCode: status);
        });

        app.MapGet(LedgerRoutes.Transaction, async (string id, CancellationToken ct) =>
            TryHex(id, out var bytes) ? Found(await node.GetTransactionAsync(bytes, ct).ConfigureAwait(false)) : BadId(id));

        app.MapGet(LedgerRoutes.TransactionCommit, async (string id, [FromQuery(Name = LedgerRoutes.TimeoutQuery)] long? timeoutMs, CancellationToken ct) =>
        {
            if (!TryHex(id, out var bytes))
            {
                return BadId(id);
            }

            try
            {
                var timeout = TimeSpan.FromMilliseconds(Math.Clamp(timeoutMs ?? 10_000, 0, 60_000));
                return Results.Json(await node.WaitForCommitAsync(bytes, timeout, ct).ConfigureAwait(false), LedgerJson.Options);
            }
            catch (LedgerRejectedException e)
            {
                return Error(e.Reason, e.Detail, e.Reason == RejectReason.Timeout ? 504 : 409);
            }
        });

        app.MapGet(LedgerRoutes.Block, (string chain, ulong height) =>
            Guard(chain, c => node.Storage.ReadBlock(c, height) is { } block
                ? Results.Bytes(block.Encode(), LedgerClient.CborMediaType)
                : Error(RejectReason.BlockMissing, $"{LedgerText.ChainName(c)} has no block {height} yet", 404)));

        app.MapGet(LedgerRoutes.BlockRange, async (HttpContext context, string chain, [FromQuery(Name = LedgerRoutes.FromQuery)] ulong? from, [FromQuery(Name = LedgerRoutes.ToQuery)] ulong? to, CancellationToken ct) =>
        {
            if (await ServedChainAsync(context, node, chain).ConfigureAwait(false) is not { } c)
            {
                return;
            }

            await WriteBlockRangeAsync(context.Response, node.Storage, c, from ?? 0, Math.Min(to ?? ulong.MaxValue, node.Storage.Count(c)), ct).ConfigureAwait(false);
        });

        app.MapGet(LedgerRoutes.ChainStream, async (HttpContext context, string chain, [FromQuery(Name = LedgerRoutes.FromQuery)] ulong? from, CancellationToken ct) =>
        {
            if (await ServedChainAsync(context, node, chain).ConfigureAwait(false) is { } c)
            {
                await StreamAsync(context, c, from ?? 0, block => Convert.ToBase64String(block.Encode()), ct).ConfigureAwait(false);
            }
        });

        app.MapGet(LedgerRoutes.Feed, async (HttpContext context, string chain, [FromQuery(Name = LedgerRoutes.FromQuery)] ulong? from, CancellationToken ct) =>
        {
            if (await ServedChainAsync(context, node, chain).ConfigureAwait(false) is { } c)
            {
                var filter = await FeedFilter.StartAsync(node, ReadAuthorization.CallerOf(context)!, c, from ?? 0, ct).ConfigureAwait(false);
                await StreamAsync(context, c, from ?? 0, block => JsonSerializer.Serialize(FeedBlock.Of(block, filter.Visible(block), withProofs: true), LedgerJson.Options), ct).ConfigureAwait(false);
            }
        });

        app.MapGet(LedgerRoutes.PartyTransactions, async (string id, [FromQuery(Name = LedgerRoutes.ChainQuery)] string? chain, [FromQuery(Name = LedgerRoutes.FromQuery)] ulong? from, [FromQuery(Name = LedgerRoutes.LimitQuery)] int? limit, CancellationToken ct) =>
            IdentityId.TryParse(id, out var party)
                ? await GuardAsync(chain ?? "userchain", async c => Results.Json(await node.GetTransactionsForAsync(party, c, from ?? 0, limit ?? 1000, ct).ConfigureAwait(false), LedgerJson.Options)).ConfigureAwait(false)
                : BadId(id));

        app.MapGet(LedgerRoutes.Identities, async ([FromQuery(Name = LedgerRoutes.RoleQuery)] string? role, [FromQuery(Name = LedgerRoutes.AfterQuery)] string? after, [FromQuery(Name = LedgerRoutes.LimitQuery)] int? limit, CancellationToken ct) =>
        {
            Role? parsed = null;
            if (role is not null)
            {
                if (!LedgerNames.TryParseRole(role, out var r))
                {
                    return Error(RejectReason.Malformed, $"unknown role '{role}'", 400);
                }

                parsed = r;
            }

            IdentityId? from = null;
            if (after is not null)
            {
                if (!IdentityId.TryParse(after, out var a))
                {
                    return BadId(after);
                }

                from = a;
            }

            return Results.Json(await node.GetIdentitiesAsync(parsed, from, limit ?? 1000, ct).ConfigureAwait(false), LedgerJson.Options);
        });
        app.MapGet(LedgerRoutes.Identity, async (string id, CancellationToken ct) =>
            IdentityId.TryParse(id, out var i) ? Found(await node.GetIdentityAsync(i, ct).ConfigureAwait(false)) : BadId(id));
        app.MapGet(LedgerRoutes.PatientKeys, async (string id, CancellationToken ct) =>
            IdentityId.TryParse(id, out var i) ? Found(await node.GetPatientKeysAsync(i, ct).ConfigureAwait(false)) : BadId(id));
        app.MapGet(LedgerRoutes.LatestKeyTransaction, async (string id, CancellationToken ct) =>
            IdentityId.TryParse(id, out var i) ? Found(await node.GetLatestKeyTransactionAsync(i, ct).ConfigureAwait(false)) : BadId(id));
        app.MapGet(LedgerRoutes.Balance, async (string id, CancellationToken ct) =>
            IdentityId.TryParse(id, out var i) ? Results.Json(new LedgerClient.AmountDto(await node.GetBalanceAsync(i, ct).ConfigureAwait(false)), LedgerJson.Options) : BadId(id));
        app.MapGet(LedgerRoutes.Credit, async (string doctor, string patient, CancellationToken ct) =>
            IdentityId.TryParse(doctor, out var d) && IdentityId.TryParse(patient, out var p)
                ? Results.Json(new LedgerClient.AmountDto(await node.GetCreditAsync(d, p, ct).ConfigureAwait(false)), LedgerJson.Options)
                : BadId($"{doctor}/{patient}"));
        app.MapGet(LedgerRoutes.Nonce, async (string id, CancellationToken ct) =>
            IdentityId.TryParse(id, out var i) ? Results.Json(new LedgerClient.NonceDto(await node.GetNextNonceAsync(i, ct).ConfigureAwait(false)), LedgerJson.Options) : BadId(id));
        app.MapGet(LedgerRoutes.Genesis, () => Results.Text(node.Genesis.ToJson(), "application/json"));
        app.MapGet(LedgerRoutes.Status, async (CancellationToken ct) => Results.Json(await node.GetStatusAsync(ct).ConfigureAwait(false), LedgerJson.Options));
    }

    /// <summary>Streams <paramref name="chain"/>'s blocks from <paramref name="from"/> as server-sent events, <paramref name="data"/> of each, until the client leaves or the node stops.</summary>
    private async Task StreamAsync(HttpContext context, ChainId chain, ulong from, Func<Block, string> data, CancellationToken ct)
    {
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(ct, stopping);
        context.Response.ContentType = "text/event-stream";
        context.Response.Headers.CacheControl = "no-cache";
        await context.Response.Body.FlushAsync(ct).ConfigureAwait(false);
        try
        {
            await foreach (var block in node.SubscribeAsync(chain, from, linked.Token).ConfigureAwait(false))
            {
                var text = $"id: {block.Header.Height}\nevent: block\ndata: {data(block)}\n\n";
                await context.Response.Body.WriteAsync(Encoding.UTF8.GetBytes(text), linked.Token).ConfigureAwait(false);
                await context.Response.Body.FlushAsync(linked.Token).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException)
        {
        }
        catch (LedgerRejectedException e)
        {
            log.LogWarning("Stream of {Chain} ended: {Message}", LedgerText.ChainName(chain), e.Message);
        }
    }

    private static IResult Found<T>(T? value)
        where T : class =>
        value is null ? Error(RejectReason.None, "not found", 404) : Results.Json(value, LedgerJson.Options);

    /// <summary>The chain named <paramref name="chain"/> when it is known and served; otherwise answers the error and returns null.</summary>
    private static async Task<ChainId?> ServedChainAsync(HttpContext context, AccountingNode node, string chain)
    {
        if (!LedgerText.TryParseChain(chain, out var c))
        {
            await Error(RejectReason.Malformed, $"unknown chain '{chain}'", 400).ExecuteAsync(context).ConfigureAwait(false);
            return null;
        }

        if (node.ChainFault(c) is { } fault)
        {
            await Error(RejectReason.ChainUnavailable, fault, 503).ExecuteAsync(context).ConfigureAwait(false);
            return null;
        }

        return c;
    }

    /// <summary>Streams the stored records of blocks <paramref name="from"/> … <paramref name="to"/> − 1 as they are on disk.</summary>
    private static async Task WriteBlockRangeAsync(HttpResponse response, ChainStorage storage, ChainId chain, ulong from, ulong to, CancellationToken ct)
    {
        response.ContentType = BlockRangeStream.MediaType;
        var prefix = new byte[4];
        var unflushed = 0L;
        for (var h = from; h < to; h++)
        {
            if (storage.ReadRawBlock(chain, h) is not { } raw)
            {
                break;
            }

            BlockRangeStream.WritePrefix(prefix, raw.Length);
            await response.Body.WriteAsync(prefix, ct).ConfigureAwait(false);
            await response.Body.WriteAsync(raw, ct).ConfigureAwait(false);
            unflushed += 4 + raw.Length;
            if (unflushed >= 1 << 20)
            {
                await response.Body.FlushAsync(ct).ConfigureAwait(false);
                unflushed = 0;
            }
        }
    }

    private static IResult BadId(string id) => Error(RejectReason.Malformed, $"'{id}' is not a valid id", 400);

    private static IResult Error(RejectReason reason, string message, int status) =>
        Results.Json(new LedgerClient.ErrorDto(reason, message), LedgerJson.Options, statusCode: status);

    private static IResult Guard(string chain, Func<ChainId, IResult> handle)
    {
        if (!LedgerText.TryParseChain(chain, out var c))
        {
            return Error(RejectReason.Malformed, $"unknown chain '{chain}'", 400);
        }

        try
        {
            return handle(c);
        }
        catch (LedgerRejectedException e)
        {
            return Error(e.Reason, e.Detail, 503);
        }
    }

    private static async Task<IResult> GuardAsync(string chain, Func<ChainId, Task<IResult>> handle)
    {
        if (!LedgerText.TryParseChain(chain, out var c))
        {
            return Error(RejectReason.Malformed, $"unknown chain '{chain}'", 400);
        }

        try
        {
            return await handle(c).ConfigureAwait(false);
        }
        catch (LedgerRejectedException e)
        {
            return Error(e.Reason, e.Detail, 503);
        }
    }

    private static bool TryHex(string text, out byte[] bytes)
    {
        bytes = [];
        if (text.Length != 64)
        {
            return false;
        }

        try
        {
            bytes = Convert.FromHexString(text);
            return true;
        }
        catch (FormatException)
        {
            return false;
        }
    }

    /// <summary>
    /// True for a submission another accounting node forwarded with a valid <see cref="ForwardingMark"/>. That node
    /// raised the alert itself, naming the real client; raising it here as well would name the forwarder as the source.
    /// </summary>
    private bool ForwardedByPeer(HttpRequest request, byte[] body) =>
        ForwardingMark.IsFromPeer(request.Headers[ForwardingMark.Header].ToString(), body, node.NodeId, node.GetCommittedIdentity);

    /// <summary>Raises an alert for a refusal that may be an attack (not for a busy or leaderless cluster).</summary>
    private void RaiseRefusal(Transaction tx, SubmitResult result, string? clientAddress)
    {
        if (result.Reason is RejectReason.NoLeader or RejectReason.LeadershipLost or RejectReason.Overloaded or RejectReason.Timeout
            or RejectReason.ChainUnavailable or RejectReason.StaleEpoch)
        {
            return;
        }

        node.Alerts.Raise(new HealthBlock.Alerts.Alert(HealthBlock.Alerts.AlertKind.TransactionRefused, $"Transaction {result.TransactionId} from {tx.Body.Signer} at {clientAddress ?? "?"} refused: {result.Reason}: {result.Message}")
        {
            IdentityId = tx.Body.Signer.ToString(),
            ClientAddress = clientAddress,
            Node = node.NodeId.ToString(),
            Details = new Dictionary<string, string> { ["reason"] = result.Reason.ToString(), ["type"] = tx.Body.Type.ToString() },
        });
    }
}
