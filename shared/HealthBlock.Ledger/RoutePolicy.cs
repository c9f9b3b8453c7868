namespace HealthBlock.Ledger;

/// <summary>What a ledger route declares about who may call it; the node enforces it in one place.</summary>
/// <param name="Access">Who may call the route.</param>
/// <param name="Parties">For <see cref="RouteAccess.Party"/>: the route parameters that name parties (the caller must be allowed for one of them).</param>
public sealed record RoutePolicy(RouteAccess Access, IReadOnlyList<string> Parties)
{
    /// <summary>Anyone.</summary>
    public static RoutePolicy Public { get; } = new(RouteAccess.Public, []);

    /// <summary>Anyone; the transaction authenticates itself.</summary>
    public static RoutePolicy Submission { get; } = new(RouteAccess.Submission, []);

    /// <summary>Any registered identity.</summary>
    public static RoutePolicy Directory { get; } = new(RouteAccess.Directory, []);

    /// <summary>Whoever may read a party of the committed transaction.</summary>
    public static RoutePolicy TransactionParties { get; } = new(RouteAccess.TransactionParties, []);

    /// <summary>Accounting nodes, admins and auditors.</summary>
    public static RoutePolicy Everything { get; } = new(RouteAccess.Everything, []);

    /// <summary>Whoever may read one of the parties named by the route parameters <paramref name="parameters"/>.</summary>
    public static RoutePolicy Party(params string[] parameters) => new(RouteAccess.Party, parameters);

    /// <summary>True when the route needs a signed request from a registered identity.</summary>
    public bool NeedsCaller => Access is not (RouteAccess.Public or RouteAccess.Submission);
}
