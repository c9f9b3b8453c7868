namespace HealthBlock.Ledger;

/// <summary>Who may call a ledger route (see <see cref="RoutePolicy"/>).</summary>
public enum RouteAccess
{
    /// <summary>Anyone, unauthenticated: liveness, the node's status, the genesis.</summary>
    Public = 1,

    /// <summary>Anyone may submit: the transaction's own signature authenticates it; no request signature.</summary>
    Submission = 2,

    /// <summary>Any registered identity (signed request): the directory of identities and their public keys.</summary>
    Directory = 3,

    /// <summary>
    /// The records of the parties the route parameters name: each party itself, the doctors a patient party granted
    /// (in its current key epoch), and accounting nodes, admins and auditors.
    /// </summary>
    Party = 4,

    /// <summary>One committed transaction: whoever may read one of its parties (as for <see cref="Party"/>).</summary>
    TransactionParties = 5,

    /// <summary>The whole ledger (blocks, block ranges, chain streams): accounting nodes, admins and auditors only.</summary>
    Everything = 6,
}
