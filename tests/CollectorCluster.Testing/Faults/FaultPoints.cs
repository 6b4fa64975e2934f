namespace CollectorCluster.Testing.Faults;

/// <summary>The seeded choice of where a scenario's fault strikes in the POP3 conversation.</summary>
internal static class FaultPoints
{
    /// <summary>The step a link-cut kind names, with its occurrence and offset drawn from the scenario's seed.</summary>
    public static Pop3FaultPoint ForCut(ScenarioContext context)
    {
        var random = context.Random;
        var listed = ListedCount(context);
        return context.Scenario.Kind switch
        {
            FaultKind.AfterGreeting => Pop3FaultPoint.After(Pop3ResponseTracker.Greeting),
            FaultKind.MidCapa => Pop3FaultPoint.WithinBody("CAPA", 1 + random.Next(2), random.NextDouble(), 80),
            FaultKind.MidUidl => Pop3FaultPoint.WithinBody("UIDL", 1, random.NextDouble(), 20L * listed),
            FaultKind.MidList => Pop3FaultPoint.WithinBody("LIST", 1, random.NextDouble(), 9L * listed),
            FaultKind.AfterDele => Pop3FaultPoint.After("DELE", 1 + random.Next(Math.Max(1, context.ExpectedDeletes))),
            FaultKind.QuitUnanswered => Pop3FaultPoint.Before("QUIT"),
            _ => InsideRetr(context),
        };
    }

    /// <summary>
    /// A random moment of the session for a kill, a signal or a broken journal: inside a RETR, at a random byte of the
    /// whole stream, between the listing and the first RETR, after a DELE, or before QUIT's +OK.
    /// </summary>
    public static Pop3FaultPoint RandomMoment(ScenarioContext context)
    {
        var random = context.Random;
        var draw = random.NextDouble();
        if (draw < 0.45)
        {
            return InsideRetr(context);
        }

        if (draw < 0.65)
        {
            var estimate = context.ToFetch.Sum(m => (long)m.Size) + 400 + (30L * ListedCount(context));
            return Pop3FaultPoint.AtStreamOffset((long)(random.NextDouble() * estimate * 0.95));
        }

        if (draw < 0.75)
        {
            return Pop3FaultPoint.After("LIST");
        }

        if (draw < 0.87 && context.ExpectedDeletes > 0)
        {
            return Pop3FaultPoint.After("DELE", 1 + random.Next(context.ExpectedDeletes));
        }

        return Pop3FaultPoint.Before("QUIT");
    }

    private static Pop3FaultPoint InsideRetr(ScenarioContext context) =>
        Pop3FaultPoint.WithinBody("RETR", 1 + context.Random.Next(Math.Max(1, context.ToFetch.Count)), context.Random.NextDouble(), 1000);

    private static int ListedCount(ScenarioContext context) => Math.Max(1, context.OnServer().Count);
}
