using Brook.Cli;

namespace Brook.Commands;

/// <summary><c>brook profile</c>: named client settings in $XDG_CONFIG_HOME/brook/profiles.yaml.</summary>
public static class ProfileCommands
{
    public static CliCommand Create()
    {
        var profile = new CliCommand("profile", "manage profiles: named cluster settings in ~/.config/brook/profiles.yaml")
        {
            Details = "A profile holds the settings -X takes (brokers, client.id, ...). The current profile applies when no flag, -X or BROOK_BROKERS says otherwise; --profile or BROOK_PROFILE pick another.",
        };
        profile.Add(new CliCommand("create", "create or replace a profile and make it current")
            .With(new CliArgument("NAME", "the profile's name"))
            .With(new CliOption("--set", "a setting: brokers, client.id, request.timeout.ms, connect.timeout.ms") { Alias = "-s", ValueName = "KEY=VALUE", Repeatable = true })
            .Example("brook profile create local --set brokers=127.0.0.1:9092")
            .Runs(CreateAsync));
        profile.Add(new CliCommand("use", "make a profile current")
            .With(new CliArgument("NAME", "the profile's name"))
            .Runs(UseAsync));
        profile.Add(new CliCommand("list", "list profiles").With(Output.FormatOption).Runs(ListAsync));
        profile.Add(new CliCommand("delete", "delete a profile").With(new CliArgument("NAME", "the profile's name")).Runs(DeleteAsync));
        return profile;
    }

    private static async Task<int> CreateAsync(CliContext context)
    {
        string name = context.Argument(0)!;
        var store = ProfileStore.For(context.Environment);
        ProfileFile file = store.Load();
        var settings = new Dictionary<string, string>(StringComparer.Ordinal);
        var check = new ClientSettings();
        foreach ((string key, string value) in context.Arguments.GetPairs("--set"))
        {
            check.Set(key, value, "--set");
            settings[key] = value;
        }
        if (context.Arguments.Get("--brokers") is { } brokers)
        {
            settings["brokers"] = brokers;
        }
        file.Profiles[name] = settings;
        file.Current = name;
        store.Save(file);
        await context.Out.WriteLineAsync($"profile {name} created and in use ({store.Path})");
        return ExitCodes.Ok;
    }

    private static async Task<int> UseAsync(CliContext context)
    {
        string name = context.Argument(0)!;
        var store = ProfileStore.For(context.Environment);
        ProfileFile file = store.Load();
        if (!file.Profiles.ContainsKey(name))
        {
            throw new CliException($"no profile '{name}' in {store.Path}");
        }
        file.Current = name;
        store.Save(file);
        await context.Out.WriteLineAsync($"profile {name} in use");
        return ExitCodes.Ok;
    }

    private static Task<int> ListAsync(CliContext context)
    {
        ProfileFile file = ProfileStore.For(context.Environment).Load();
        var names = file.Profiles.Keys.Order(StringComparer.Ordinal).ToArray();
        var data = names.Select(n => Output.Map(("name", n), ("current", n == file.Current),
            ("brokers", file.Profiles[n].GetValueOrDefault("brokers")))).ToList();
        Output.Write(context, data, _ =>
        {
            var table = new TextTable("NAME", "CURRENT", "BROKERS");
            foreach (string name in names)
            {
                table.Add(name, name == file.Current ? "*" : "", file.Profiles[name].GetValueOrDefault("brokers") ?? "");
            }
            table.Write(context);
        });
        return Task.FromResult(ExitCodes.Ok);
    }

    private static async Task<int> DeleteAsync(CliContext context)
    {
        string name = context.Argument(0)!;
        var store = ProfileStore.For(context.Environment);
        ProfileFile file = store.Load();
        if (!file.Profiles.Remove(name))
        {
            throw new CliException($"no profile '{name}' in {store.Path}");
        }
        if (file.Current == name)
        {
            file.Current = null;
        }
        store.Save(file);
        await context.Out.WriteLineAsync($"profile {name} deleted");
        return ExitCodes.Ok;
    }
}
