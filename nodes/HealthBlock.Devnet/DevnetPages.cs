using HealthBlock.Crypto;
using HealthBlock.Doctor.Web;
using HealthBlock.Gateway;
using HealthBlock.Ledger;
using HealthBlock.Storage;
using HealthBlock.Web;
using HealthBlock.Web.Login;

namespace HealthBlock.Devnet;

/// <summary>
/// The web pages of a devnet: each gateway serves its patient page and each doctor node its doctor page, on loopback
/// ports chosen by the OS; the demo identities log in with one-time links devnet prints, or — with
/// <see cref="DevnetOptions.WebPassphrase"/> — with their key files (written to <c>keys/</c> in the data folder). Only the
/// first <see cref="MaxPatientPages"/> patients get a page: each page is a web host of its own, and a thousand of them
/// cost more than the rest of a 1,000-patient run (and exhaust the per-user inotify instances).
/// </summary>
internal sealed class DevnetPages(DevnetOptions options, string data, ILedger ledger, IContentStore store) : IAsyncDisposable
{
    private readonly List<PageServer> _servers = [];
    private readonly List<(string Name, PageServer Server)> _patients = [];
    private readonly List<DoctorPageRecords> _doctorRecords = [];

    /// <summary>Patients (the first ones) whose gateway serves a page.</summary>
    public const int MaxPatientPages = 10;

    /// <summary>
    /// The patient page of <paramref name="patient"/> (the <paramref name="index"/>-th, from 0) for its gateway's options:
    /// null without <see cref="DevnetOptions.Web"/> or beyond the first <see cref="MaxPatientPages"/>.
    /// </summary>
    public PatientPageOptions? ForPatient(IdentityKey patient, string name, int index) => options.Web && index < MaxPatientPages
        ? new PatientPageOptions { Diagnoses = new DoctorDiagnosisSource(ledger, store), KeyFile = WriteKey(patient, name, "patient"), Tokens = new LoginTokens() }
        : null;

    /// <summary>Starts the doctors' pages.</summary>
    public async Task StartDoctorsAsync(IReadOnlyList<IdentityKey> doctors, Func<int, string> folderOf, CancellationToken cancellationToken)
    {
        if (!options.Web)
        {
            return;
        }

        for (var j = 0; j < doctors.Count; j++)
        {
            var records = new DoctorPageRecords(folderOf(j), doctors[j], ledger, store);
            _doctorRecords.Add(records);
            var login = new PageLogin(doctors[j].Id, WriteKey(doctors[j], $"doctor-{j + 1}", "doctor"), new LoginTokens());
            _servers.Add(await PageServer.StartDoctorAsync(records, login, 0, cancellationToken).ConfigureAwait(false));
        }
    }

    /// <summary>One line per page: its URL and a one-time login link.</summary>
    public IEnumerable<string> Links(IReadOnlyList<GatewayService> gateways)
    {
        for (var i = 0; i < gateways.Count; i++)
        {
            if (gateways[i].Pages is { } page)
            {
                yield return $"patient page of patient-{i + 1}: {page.PageUrl} (login link {page.IssueLoginLink()})";
            }
        }

        for (var j = 0; j < _servers.Count; j++)
        {
            yield return $"doctor page of doctor-{j + 1}: {_servers[j].PageUrl} (login link {_servers[j].IssueLoginLink()})";
        }
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        foreach (var server in _servers)
        {
            await server.DisposeAsync().ConfigureAwait(false);
        }

        foreach (var records in _doctorRecords)
        {
            records.Dispose();
        }
    }

    private string? WriteKey(IdentityKey key, string name, string role)
    {
        if (options.WebPassphrase is not { Length: > 0 } passphrase)
        {
            return null;
        }

        var folder = Path.Combine(data, "keys");
        Directory.CreateDirectory(folder);
        var path = Path.Combine(folder, name + ".key");
        KeyFile.Write(path, key, role, passphrase);
        return path;
    }
}
