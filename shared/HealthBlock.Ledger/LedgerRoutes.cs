using System.Globalization;
using HealthBlock.Crypto;
using HealthBlock.Protocol.Ledger;

namespace HealthBlock.Ledger;

/// <summary>
/// The ledger HTTP API's routes, in one place for both sides: the accounting node maps the templates, and
/// <see cref="LedgerClient"/> builds its request paths from the same templates, so the two cannot drift apart.
/// </summary>
/// <remarks>
/// Templates are absolute (<c>/v1/…</c>, route parameters in braces). Path builders return paths relative to the node's
/// base address (no leading slash), with parameters escaped and query strings appended.
/// </remarks>
public static class LedgerRoutes
{
    /// <summary>POST a signed transaction (canonical CBOR body).</summary>
    public const string Transactions = "/v1/transactions";

    /// <summary>GET a committed transaction with its Merkle proof.</summary>
    public const string Transaction = "/v1/transactions/{id}";

    /// <summary>GET (long-poll) where a transaction was committed; query <see cref="TimeoutQuery"/>.</summary>
    public const string TransactionCommit = "/v1/transactions/{id}/commit";

    /// <summary>GET a block (canonical CBOR).</summary>
    public const string Block = "/v1/chains/{chain}/blocks/{height}";

    /// <summary>
    /// GET a range of a chain's committed blocks as one binary stream (<see cref="BlockRangeStream"/>); queries
    /// <see cref="FromQuery"/> and <see cref="ToQuery"/> (exclusive, capped at the chain's height when the request starts).
    /// </summary>
    public const string BlockRange = "/v1/chains/{chain}/blocks";

    /// <summary>GET a chain's blocks as server-sent events; query <see cref="FromQuery"/>.</summary>
    public const string ChainStream = "/v1/chains/{chain}/stream";

    /// <summary>
    /// GET a chain's blocks as server-sent events, each a <see cref="FeedBlock"/> (JSON) holding only the transactions
    /// the caller may read, with Merkle proofs; query <see cref="FromQuery"/>.
    /// </summary>
    public const string Feed = "/v1/feed/{chain}";

    /// <summary>GET the transactions of a party; queries <see cref="ChainQuery"/>, <see cref="FromQuery"/>, <see cref="LimitQuery"/>.</summary>
    public const string PartyTransactions = "/v1/parties/{id}/transactions";

    /// <summary>GET registered identities in id order; queries <see cref="RoleQuery"/>, <see cref="AfterQuery"/>, <see cref="LimitQuery"/>.</summary>
    public const string Identities = "/v1/identities";

    /// <summary>GET a registered identity.</summary>
    public const string Identity = "/v1/identities/{id}";

    /// <summary>GET a patient's key epoch and doctors.</summary>
    public const string PatientKeys = "/v1/patients/{id}/keys";

    /// <summary>GET a patient's latest key transaction.</summary>
    public const string LatestKeyTransaction = "/v1/patients/{id}/latest-key";

    /// <summary>GET a Healthcoin balance.</summary>
    public const string Balance = "/v1/balances/{id}";

    /// <summary>GET the credit a patient paid a doctor.</summary>
    public const string Credit = "/v1/credits/{doctor}/{patient}";

    /// <summary>GET a signer's next nonce.</summary>
    public const string Nonce = "/v1/nonces/{id}";

    /// <summary>GET the genesis JSON.</summary>
    public const string Genesis = "/v1/genesis";

    /// <summary>GET the node's status.</summary>
    public const string Status = "/v1/status";

    /// <summary>GET the API's OpenAPI document (<c>{documentName}</c> = <see cref="OpenApiDocumentName"/>), generated from the mapped routes.</summary>
    public const string OpenApi = "/openapi/{documentName}.json";

    /// <summary>The name of the ledger API's OpenAPI document.</summary>
    public const string OpenApiDocumentName = "ledger-v1";

    /// <summary>Query parameter: how long a commit long-poll waits, in milliseconds.</summary>
    public const string TimeoutQuery = "timeoutMs";

    /// <summary>Query parameter: the first block height.</summary>
    public const string FromQuery = "from";

    /// <summary>Query parameter: the height after the last block (exclusive).</summary>
    public const string ToQuery = "to";

    /// <summary>Query parameter: the chain (<c>userchain</c> or <c>docchain</c>).</summary>
    public const string ChainQuery = "chain";

    /// <summary>Query parameter: a role (<c>doctor</c>, <c>patient</c>, <c>admin</c>, <c>node</c>, <c>device</c>).</summary>
    public const string RoleQuery = "role";

    /// <summary>Query parameter: the id a page starts after.</summary>
    public const string AfterQuery = "after";

    /// <summary>Query parameter: most results.</summary>
    public const string LimitQuery = "limit";

    /// <summary>
    /// Every route template with its policy: who may call it (docs/security.md has the table). The node enforces it
    /// for every route in one place; a route missing here is refused.
    /// </summary>
    public static IReadOnlyDictionary<string, RoutePolicy> Policies { get; } = new Dictionary<string, RoutePolicy>(StringComparer.Ordinal)
    {
        [Transactions] = RoutePolicy.Submission,
        [Transaction] = RoutePolicy.TransactionParties,
        [TransactionCommit] = RoutePolicy.Directory,
        [Block] = RoutePolicy.Everything,
        [BlockRange] = RoutePolicy.Everything,
        [ChainStream] = RoutePolicy.Everything,
        [Feed] = RoutePolicy.Directory,
        [PartyTransactions] = RoutePolicy.Party("id"),
        [Identities] = RoutePolicy.Directory,
        [Identity] = RoutePolicy.Directory,
        [PatientKeys] = RoutePolicy.Party("id"),
        [LatestKeyTransaction] = RoutePolicy.Party("id"),
        [Balance] = RoutePolicy.Party("id"),
        [Credit] = RoutePolicy.Party("doctor", "patient"),
        [Nonce] = RoutePolicy.Party("id"),
        [Genesis] = RoutePolicy.Public,
        [Status] = RoutePolicy.Public,
    };

    /// <summary>Every route template, for checks that the node maps each one.</summary>
    public static IReadOnlyList<string> All { get; } = [.. Policies.Keys];

    /// <summary>Path of <see cref="Transactions"/>.</summary>
    public static string TransactionsPath() => Fill(Transactions);

    /// <summary>Path of <see cref="Transaction"/>.</summary>
    public static string TransactionPath(ReadOnlySpan<byte> transactionId) => Fill(Transaction, ("id", Convert.ToHexStringLower(transactionId)));

    /// <summary>Path of <see cref="TransactionCommit"/> waiting at most <paramref name="timeoutMs"/>.</summary>
    public static string TransactionCommitPath(ReadOnlySpan<byte> transactionId, long timeoutMs) =>
        Fill(TransactionCommit, ("id", Convert.ToHexStringLower(transactionId))) + Query((TimeoutQuery, Text(timeoutMs)));

    /// <summary>Path of <see cref="Block"/>.</summary>
    public static string BlockPath(ChainId chain, ulong height) => Fill(Block, ("chain", LedgerText.ChainName(chain)), ("height", Text(height)));

    /// <summary>Path of <see cref="BlockRange"/> for heights <paramref name="fromHeight"/> … <paramref name="toHeight"/> − 1.</summary>
    public static string BlockRangePath(ChainId chain, ulong fromHeight, ulong toHeight) =>
        Fill(BlockRange, ("chain", LedgerText.ChainName(chain))) + Query((FromQuery, Text(fromHeight)), (ToQuery, Text(toHeight)));

    /// <summary>Path of <see cref="ChainStream"/> from <paramref name="fromHeight"/>.</summary>
    public static string ChainStreamPath(ChainId chain, ulong fromHeight) =>
        Fill(ChainStream, ("chain", LedgerText.ChainName(chain))) + Query((FromQuery, Text(fromHeight)));

    /// <summary>Path of <see cref="Feed"/> from <paramref name="fromHeight"/>.</summary>
    public static string FeedPath(ChainId chain, ulong fromHeight) =>
        Fill(Feed, ("chain", LedgerText.ChainName(chain))) + Query((FromQuery, Text(fromHeight)));

    /// <summary>Path of <see cref="PartyTransactions"/>.</summary>
    public static string PartyTransactionsPath(IdentityId party, ChainId chain, ulong fromHeight, int limit) =>
        Fill(PartyTransactions, ("id", party.ToString())) + Query((ChainQuery, LedgerText.ChainName(chain)), (FromQuery, Text(fromHeight)), (LimitQuery, Text(limit)));

    /// <summary>Path of <see cref="Identities"/>.</summary>
    public static string IdentitiesPath(Role? role, IdentityId? after, int limit)
    {
        var query = new List<(string, string)>();
        if (role is { } r)
        {
            query.Add((RoleQuery, LedgerNames.RoleName(r)));
        }

        if (after is { } a)
        {
            query.Add((AfterQuery, a.ToString()));
        }

        query.Add((LimitQuery, Text(limit)));
        return Fill(Identities) + Query([.. query]);
    }

    /// <summary>Path of <see cref="Identity"/>.</summary>
    public static string IdentityPath(IdentityId id) => Fill(Identity, ("id", id.ToString()));

    /// <summary>Path of <see cref="PatientKeys"/>.</summary>
    public static string PatientKeysPath(IdentityId patient) => Fill(PatientKeys, ("id", patient.ToString()));

    /// <summary>Path of <see cref="LatestKeyTransaction"/>.</summary>
    public static string LatestKeyTransactionPath(IdentityId patient) => Fill(LatestKeyTransaction, ("id", patient.ToString()));

    /// <summary>Path of <see cref="Balance"/>.</summary>
    public static string BalancePath(IdentityId id) => Fill(Balance, ("id", id.ToString()));

    /// <summary>Path of <see cref="Credit"/>.</summary>
    public static string CreditPath(IdentityId doctor, IdentityId patient) => Fill(Credit, ("doctor", doctor.ToString()), ("patient", patient.ToString()));

    /// <summary>Path of <see cref="Nonce"/>.</summary>
    public static string NoncePath(IdentityId signer) => Fill(Nonce, ("id", signer.ToString()));

    /// <summary>Path of <see cref="Genesis"/>.</summary>
    public static string GenesisPath() => Fill(Genesis);

    /// <summary>Path of <see cref="Status"/>.</summary>
    public static string StatusPath() => Fill(Status);

    /// <summary>Fills every <c>{name}</c> of <paramref name="template"/>; a parameter left unfilled is a bug here.</summary>
    private static string Fill(string template, params ReadOnlySpan<(string Name, string Value)> values)
    {
        var path = template;
        foreach (var (name, value) in values)
        {
            path = path.Replace("{" + name + "}", Uri.EscapeDataString(value), StringComparison.Ordinal);
        }

        return path.Contains('{', StringComparison.Ordinal)
            ? throw new InvalidOperationException($"Route {template} has a parameter no value was given for.")
            : path[1..];
    }

    private static string Query(params ReadOnlySpan<(string Name, string Value)> values)
    {
        var parts = new List<string>(values.Length);
        foreach (var (name, value) in values)
        {
            parts.Add(name + "=" + Uri.EscapeDataString(value));
        }

        return "?" + string.Join('&', parts);
    }

    private static string Text(long value) => value.ToString(CultureInfo.InvariantCulture);

    private static string Text(ulong value) => value.ToString(CultureInfo.InvariantCulture);
}
