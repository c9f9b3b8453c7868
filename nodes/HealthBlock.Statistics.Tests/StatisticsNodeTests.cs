using HealthBlock.Crypto;
using HealthBlock.Paillier;
using HealthBlock.Protocol.Ledger;

namespace HealthBlock.Statistics.Tests;

public sealed class StatisticsNodeTests
{
    [Fact]
    public async Task A_cohort_of_k_patients_gets_the_mean_heart_rate_computed_in_the_clear_and_its_decryption_is_on_chain()
    {
        using var w = await CohortWorld.StartAsync(k: 3);
        var patients = await w.AddPatientsAsync(3);
        long[][] rr = [[800, 820, 790], [1_000, 950], [600, 610, 620, 630]];
        for (var i = 0; i < 3; i++)
        {
            await w.ContributeAsync(patients[i], 0, rr[i]);
            await w.ContributeAsync(patients[i], 1, 700);
        }

        var answer = await w.Node.AnswerAsync(await w.RequestAsync(null, periods: 2));

        var all = rr.SelectMany(x => x).Append(700).Append(700).Append(700).ToList();
        Assert.Equal(60_000.0 * all.Count / all.Sum(), answer.Value!.Value, 9);
        Assert.Equal(all.Count, answer.Readings);
        Assert.Equal((3, 6L, 3u), (answer.Patients, answer.Contributions, answer.K));
        var record = Assert.Single(await w.RecordsAsync());
        Assert.Equal(w.Doctor.Id, record.Requester);
        Assert.Equal(CohortMetric.HeartRate, record.Metric);
        Assert.Equal((CohortWorld.T0, CohortWorld.T0 + (2 * CohortWorld.PeriodMs), 3u, 6ul), (record.FromMs, record.ToMs, record.K, record.Contributions));
        Assert.Equal(patients.Order(), record.Patients);
    }

    [Fact]
    public async Task A_cohort_below_k_is_refused_and_nothing_is_decrypted_or_recorded()
    {
        using var w = await CohortWorld.StartAsync(k: 3);
        var patients = await w.AddPatientsAsync(3);
        await w.ContributeAsync(patients[0], 0, 800);
        await w.ContributeAsync(patients[1], 0, 900);

        // The third patient has no contribution in the window: the cohort is two patients, whoever is named.
        var e = await Assert.ThrowsAsync<CohortRefusedException>(() => w.RequestAsync(null).ContinueWith(t => w.Node.AnswerAsync(t.Result)).Unwrap());
        Assert.Equal(CohortRefusal.BelowK, e.Reason);
        e = await Assert.ThrowsAsync<CohortRefusedException>(async () => await w.Node.AnswerAsync(await w.RequestAsync(patients)));
        Assert.Equal(CohortRefusal.BelowK, e.Reason);
        Assert.Empty(await w.RecordsAsync());
    }

    [Fact]
    public async Task The_default_k_is_ten()
    {
        using var w = await CohortWorld.StartAsync();
        var patients = await w.AddPatientsAsync(9);
        foreach (var p in patients)
        {
            await w.ContributeAsync(p, 0, 800);
        }

        var e = await Assert.ThrowsAsync<CohortRefusedException>(async () => await w.Node.AnswerAsync(await w.RequestAsync(null)));
        Assert.Equal(CohortRefusal.BelowK, e.Reason);
        Assert.Contains("k = 10", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_differencing_attack_is_refused_a_cohort_k_apart_is_answered()
    {
        using var w = await CohortWorld.StartAsync(k: 3);
        var patients = await w.AddPatientsAsync(7);
        foreach (var p in patients)
        {
            await w.ContributeAsync(p, 0, 800 + (10 * patients.IndexOf(p)));
        }

        await w.Node.AnswerAsync(await w.RequestAsync(patients[..4]));

        // Dropping one patient (or adding one) would give that patient's figure by subtraction.
        var e = await Assert.ThrowsAsync<CohortRefusedException>(async () => await w.Node.AnswerAsync(await w.RequestAsync(patients[..3])));
        Assert.Equal(CohortRefusal.Differencing, e.Reason);
        e = await Assert.ThrowsAsync<CohortRefusedException>(async () => await w.Node.AnswerAsync(await w.RequestAsync(patients[..5])));
        Assert.Equal(CohortRefusal.Differencing, e.Reason);

        // Another metric, or a window that does not overlap, is not compared; a cohort 3 patients apart is answered.
        await w.Node.AnswerAsync(await w.RequestAsync(patients[..3], metric: CohortMetric.WearHours));
        var answer = await w.Node.AnswerAsync(await w.RequestAsync(patients));
        Assert.Equal(7, answer.Patients);
        Assert.Equal(3, (await w.RecordsAsync()).Count);
    }

    [Fact]
    public async Task A_sum_that_includes_a_patient_who_opted_out_is_refused()
    {
        using var w = await CohortWorld.StartAsync(k: 2);
        var patients = await w.AddPatientsAsync(3);
        foreach (var p in patients)
        {
            await w.ContributeAsync(p, 0, 800);
        }

        var request = await w.RequestAsync(patients);
        await w.OptOutAsync(patients[1]);

        var e = await Assert.ThrowsAsync<CohortRefusedException>(() => w.Node.AnswerAsync(request));
        Assert.Equal(CohortRefusal.OptedOut, e.Reason);

        // Unnamed, the cohort leaves the patient out (its earlier contributions are withdrawn).
        var answer = await w.Node.AnswerAsync(await w.RequestAsync(null));
        Assert.Equal(2, answer.Patients);
        Assert.DoesNotContain(patients[1], Assert.Single(await w.RecordsAsync()).Patients);
    }

    [Fact]
    public async Task A_tampered_or_substituted_sum_is_refused()
    {
        using var w = await CohortWorld.StartAsync(k: 2);
        var patients = await w.AddPatientsAsync(3);
        foreach (var p in patients)
        {
            await w.ContributeAsync(p, 0, 800);
        }

        var honest = await w.RequestAsync(patients[..2]);
        var key = CohortWorld.Key.PublicKey;
        var sum = PaillierCbor.DecodeCiphertext(honest.Sum, key);

        // The sum of another cohort, a re-randomised sum, one plus a constant, and bytes that are no ciphertext.
        byte[][] forged =
        [
            (await w.RequestAsync(patients)).Sum,
            PaillierCbor.Encode(key.Rerandomize(sum)),
            PaillierCbor.Encode(key.Add(sum, key.Encrypt(1))),
            [0xa0],
        ];
        foreach (var bytes in forged)
        {
            var tampered = CohortRequest.Sign(w.Doctor, honest.Metric, honest.FromMs, honest.ToMs, honest.Patients, bytes, honest.TimeMs);
            var e = await Assert.ThrowsAsync<CohortRefusedException>(() => w.Node.AnswerAsync(tampered));
            Assert.Equal(CohortRefusal.SumMismatch, e.Reason);
        }

        // The same sum under a signature over another sum does not verify.
        var e2 = await Assert.ThrowsAsync<CohortRefusedException>(() => w.Node.AnswerAsync(honest with { Sum = forged[0] }));
        Assert.Equal(CohortRefusal.BadSignature, e2.Reason);
        Assert.Empty(await w.RecordsAsync());
        Assert.Equal(2, (await w.Node.AnswerAsync(honest)).Patients);
    }

    [Fact]
    public async Task Only_a_doctor_or_admin_may_ask_and_unknown_metrics_are_refused()
    {
        using var w = await CohortWorld.StartAsync(k: 2);
        var patients = await w.AddPatientsAsync(2);
        using var stranger = IdentityKey.Generate();
        var e = await Assert.ThrowsAsync<CohortRefusedException>(async () => await w.Node.AnswerAsync(await w.RequestAsync(patients, requester: stranger)));
        Assert.Equal(CohortRefusal.BadSignature, e.Reason);
        await w.CommitAsync(w.Admin.Sign(RegisterPayload.For(stranger.Public, Role.Patient, "a patient")));
        e = await Assert.ThrowsAsync<CohortRefusedException>(async () => await w.Node.AnswerAsync(await w.RequestAsync(patients, requester: stranger)));
        Assert.Equal(CohortRefusal.NotAllowed, e.Reason);
        e = await Assert.ThrowsAsync<CohortRefusedException>(async () => await w.Node.AnswerAsync(await w.RequestAsync(patients, metric: "salary")));
        Assert.Equal(CohortRefusal.InvalidRequest, e.Reason);
    }
}
