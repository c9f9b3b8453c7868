using System.Runtime.CompilerServices;
using System.Security.Cryptography.X509Certificates;
using HealthBlock.Crypto;
using HealthBlock.Crypto.Requests;
using HealthBlock.Crypto.Tls;
using HealthBlock.Ledger;
using HealthBlock.Protocol.Ledger;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Logging;

namespace HealthBlock.Accounting;

/// <summary>
/// Enforces <see cref="LedgerRoutes.Policies"/> for every request, in one place (middleware after routing): a route
/// that needs a caller gets one from the connection's client certificate (the key of a registered identity, proven in
/// the TLS handshake) or, on a connection without one, from the request's signature (<see cref="LedgerRequestSignature"/>:
/// a registered identity, fresh within 5 min, nonce not seen before), or is answered 401; a caller the policy does not allow is
/// answered 403. Refusals are logged at Debug and counted by reason (<see cref="AccountingMetrics.ReadRefused"/>).
/// The service endpoints and the OpenAPI document are public; any other route without a policy is refused.
/// </summary>
/// <param name="node">The node whose committed state names callers, grants and parties.</param>
/// <param name="log">Where refusals go (Debug).</param>
internal sealed class ReadAuthorization(AccountingNode node, ILogger log)
{
    private readonly ConditionalWeakTable<X509Certificate2, CertifiedIdentity> _certificates = new();
    private readonly SignedRequestVerifier _verifier = new(LedgerRequestSignature.Scheme) { FreshnessWindow = LedgerRequestSignature.FreshnessWindow };

    /// <summary>True for the roles that read everything: accounting nodes, admins, auditors.</summary>
    public static bool ReadsEverything(Role role) => role is Role.AccountingNode or Role.Admin or Role.Auditor;

    /// <summary>The middleware.</summary>
    public async Task InvokeAsync(HttpContext context, RequestDelegate next)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(next);
        var template = (context.GetEndpoint() as RouteEndpoint)?.RoutePattern.RawText;
        if (template is null || template == LedgerRoutes.OpenApi || HealthBlock.Hosting.ServiceEndpoints.Routes.Contains(template))
        {
            await next(context).ConfigureAwait(false);
            return;
        }

        if (!LedgerRoutes.Policies.TryGetValue(template, out var policy))
        {
            await RefuseAsync(context, 403, RejectReason.Forbidden, "no_policy", $"route {template} declares no read policy").ConfigureAwait(false);
            return;
        }

        if (policy.NeedsCaller)
        {
            var (caller, refusal) = await AuthenticateAsync(context).ConfigureAwait(false);
            if (caller is null)
            {
                await RefuseAsync(context, 401, RejectReason.Unauthenticated, refusal!.Fault.ToString(), "not authenticated: " + refusal.Message).ConfigureAwait(false);
                return;
            }

            if (!await AllowedAsync(caller, policy, context.Request.RouteValues, context.RequestAborted).ConfigureAwait(false))
            {
                await RefuseAsync(context, 403, RejectReason.Forbidden, "forbidden", $"{LedgerNames.RoleName(caller.Role)} {caller.Id} may not read {context.Request.Path}").ConfigureAwait(false);
                return;
            }

            context.Items[typeof(ReadAuthorization)] = caller;
        }

        await next(context).ConfigureAwait(false);
    }

    /// <summary>The authenticated caller of a request that passed this middleware, or null for a public route.</summary>
    public static IdentityRecord? CallerOf(HttpContext context) =>
        context?.Items.TryGetValue(typeof(ReadAuthorization), out var caller) == true ? caller as IdentityRecord : null;

    /// <summary>True when <paramref name="caller"/> may read the records of <paramref name="party"/>.</summary>
    public async Task<bool> MayReadPartyAsync(IdentityRecord caller, IdentityId party, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(caller);
        if (caller.Id == party || ReadsEverything(caller.Role))
        {
            return true;
        }

        return await node.GetIdentityAsync(party, cancellationToken).ConfigureAwait(false) switch
        {
            { Role: Role.Patient } => (await node.GetPatientKeysAsync(party, cancellationToken).ConfigureAwait(false))?.Doctors.Contains(caller.Id) == true,
            { Role: Role.Device } device => device.RegisteredBy == caller.Id,

            // A statistics identity's history (its key, policies, opt-ins and Paillier-encrypted contributions) is read
            // by every gateway that contributes and every requester of a cohort.
            { Role: Role.Statistics } => true,
            _ => false,
        };
    }

    private async Task<(IdentityRecord? Caller, SignedRequestRefusal? Refusal)> AuthenticateAsync(HttpContext context)
    {
        var headers = context.Request.Headers;
        var callerText = headers[LedgerRequestSignature.Scheme.CallerHeader!].ToString();
        if (context.Connection.ClientCertificate is { } certificate)
        {
            return await CertifiedCallerAsync(certificate, callerText, context.RequestAborted).ConfigureAwait(false);
        }

        if (callerText.Length == 0)
        {
            return (null, new(SignedRequestFault.Unsigned, $"sign the request (headers {LedgerRequestSignature.Scheme.CallerHeader}, {LedgerRequestSignature.Scheme.TimeHeader}, {LedgerRequestSignature.Scheme.NonceHeader}, {LedgerRequestSignature.Scheme.SignatureHeader})"));
        }

        if (!IdentityId.TryParse(callerText, out var callerId))
        {
            return (null, new(SignedRequestFault.Malformed, $"'{callerText}' is not an identity id"));
        }

        if (await node.GetIdentityAsync(callerId, context.RequestAborted).ConfigureAwait(false) is not { } caller)
        {
            return (null, new(SignedRequestFault.UnknownCaller, $"{callerId} is not a registered identity"));
        }

        var target = context.Features.Get<IHttpRequestFeature>()?.RawTarget ?? (context.Request.Path.ToString() + context.Request.QueryString);
        var refusal = _verifier.Check(caller.Keys, context.Request.Method, target, headers[LedgerRequestSignature.Scheme.TimeHeader], headers[LedgerRequestSignature.Scheme.NonceHeader], headers[LedgerRequestSignature.Scheme.SignatureHeader], []);
        return refusal is null ? (caller, null) : (null, refusal);
    }

    /// <summary>
    /// The caller of a connection that presented <paramref name="certificate"/>: the TLS handshake proved possession of
    /// its key (CertificateVerify), so the identity of that key (<see cref="IdentityCertificates.IdentityOf"/>), when
    /// registered, is the caller of every request on the connection and no request signature is checked. A caller header
    /// naming another identity is refused, so one request cannot claim two callers.
    /// </summary>
    private async Task<(IdentityRecord? Caller, SignedRequestRefusal? Refusal)> CertifiedCallerAsync(X509Certificate2 certificate, string callerText, CancellationToken cancellationToken)
    {
        if (_certificates.GetValue(certificate, c => new CertifiedIdentity(IdentityCertificates.IdentityOf(c))).Id is not { } id)
        {
            return (null, new(SignedRequestFault.UnknownCaller, "the client certificate's key is not an ECDSA P-256 identity key"));
        }

        var now = DateTime.UtcNow;
        if (now < certificate.NotBefore.ToUniversalTime() || now > certificate.NotAfter.ToUniversalTime())
        {
            return (null, new(SignedRequestFault.Stale, $"the client certificate of {id} is outside its validity period"));
        }

        if (callerText.Length != 0 && (!IdentityId.TryParse(callerText, out var named) || named != id))
        {
            return (null, new(SignedRequestFault.Malformed, $"the request names caller '{callerText}' but its connection's client certificate is {id}"));
        }

        return await node.GetIdentityAsync(id, cancellationToken).ConfigureAwait(false) is { } caller
            ? (caller, null)
            : (null, new(SignedRequestFault.UnknownCaller, $"{id} (the client certificate's key) is not a registered identity"));
    }

    private async Task<bool> AllowedAsync(IdentityRecord caller, RoutePolicy policy, RouteValueDictionary values, CancellationToken cancellationToken)
    {
        if (ReadsEverything(caller.Role))
        {
            return true;
        }

        switch (policy.Access)
        {
            case RouteAccess.Directory:
                return true;
            case RouteAccess.Party:
                foreach (var parameter in policy.Parties)
                {
                    if (!IdentityId.TryParse(values[parameter] as string, out var party))
                    {
                        return true; // names no party: the handler answers 400
                    }

                    if (await MayReadPartyAsync(caller, party, cancellationToken).ConfigureAwait(false))
                    {
                        return true;
                    }
                }

                return false;
            case RouteAccess.TransactionParties:
                if (values["id"] is not string hex || hex.Length != 64 || !hex.All(char.IsAsciiHexDigit))
                {
                    return true; // names no transaction: the handler answers 400
                }

                if (await node.GetTransactionAsync(Convert.FromHexString(hex), cancellationToken).ConfigureAwait(false) is not { } committed)
                {
                    return true; // the handler answers 404
                }

                foreach (var party in TransactionParties.Of(committed.Transaction.Body))
                {
                    if (await MayReadPartyAsync(caller, party, cancellationToken).ConfigureAwait(false))
                    {
                        return true;
                    }
                }

                return false;
            default:
                return false;
        }
    }

    /// <summary>The identity a connection's certificate names (null: not an identity key), kept while the connection holds it.</summary>
    private sealed record CertifiedIdentity(IdentityId? Id);

    private async Task RefuseAsync(HttpContext context, int status, RejectReason reason, string label, string message)
    {
        log.LogDebug("Read {Method} {Path} from {Client} refused ({Status} {Label}): {Message}", context.Request.Method, context.Request.Path, context.Connection.RemoteIpAddress, status, label, message);
        AccountingMetrics.ReadRefused(label, node.NodeLabel);
        await Results.Json(new LedgerClient.ErrorDto(reason, message), LedgerJson.Options, statusCode: status).ExecuteAsync(context).ConfigureAwait(false);
    }
}
