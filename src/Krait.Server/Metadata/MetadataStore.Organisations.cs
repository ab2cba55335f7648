using Dapper;

namespace Krait.Server.Metadata;

/// <summary>Organisations: their members and roles (held in the organisations' channels), and what a user holds.</summary>
public sealed partial class MetadataStore
{
    /// <summary>Adds an organisation with <paramref name="owner"/> as its first owner; false when one of that name exists.</summary>
    public bool AddOrganisation(Actor actor, string name, UserRow owner)
    {
        ArgumentNullException.ThrowIfNull(owner);
        using var connection = Database.Open();
        using var transaction = connection.BeginTransaction();
        if (connection.Execute("INSERT INTO organisations (name, created) VALUES (@name, @created) ON CONFLICT (name) DO NOTHING", new { name, created = Now() }, transaction) != 1)
        {
            return false;
        }

        connection.Execute("INSERT INTO organisation_members (organisation, user_id, role) VALUES (@name, @userId, 'owner')", new { name, userId = owner.Id }, transaction);
        Audit(connection, transaction, actor, "org.create", null, name, $"owner {owner.Name}", name);
        transaction.Commit();
        return true;
    }

    public bool OrganisationExists(string name)
    {
        using var connection = Database.Open();
        return connection.ExecuteScalar<long>("SELECT COUNT(*) FROM organisations WHERE name = @name", new { name }) == 1;
    }

    /// <summary>Every organisation's name, or those <paramref name="userId"/> is a member of.</summary>
    public IReadOnlyList<string> Organisations(long? userId = null)
    {
        using var connection = Database.Open();
        return userId is { } id
            ? [.. connection.Query<string>("SELECT organisation FROM organisation_members WHERE user_id = @id ORDER BY organisation", new { id })]
            : [.. connection.Query<string>("SELECT name FROM organisations ORDER BY name")];
    }

    /// <summary>The members of an organisation with their roles, by name.</summary>
    public IReadOnlyList<(string User, ChannelRole Role)> OrganisationMembers(string organisation)
    {
        using var connection = Database.Open();
        return [.. connection.Query<(string User, string Role)>(
            "SELECT users.name, organisation_members.role FROM organisation_members JOIN users ON users.id = organisation_members.user_id WHERE organisation = @organisation ORDER BY users.name",
            new { organisation })
            .Select(r => (r.User, ChannelRoles.TryParse(r.Role, out var role) ? role : ChannelRole.None))];
    }

    /// <summary>Gives a user a role in an organisation (replacing the one they had).</summary>
    public void SetOrganisationMember(Actor actor, string organisation, UserRow user, ChannelRole role)
    {
        ArgumentNullException.ThrowIfNull(user);
        using var connection = Database.Open();
        using var transaction = connection.BeginTransaction();
        connection.Execute(
            "INSERT INTO organisation_members (organisation, user_id, role) VALUES (@organisation, @userId, @role) ON CONFLICT (organisation, user_id) DO UPDATE SET role = excluded.role",
            new { organisation, userId = user.Id, role = ChannelRoles.Name(role) },
            transaction);
        Audit(connection, transaction, actor, "org.member.set", null, user.Name, ChannelRoles.Name(role), organisation);
        transaction.Commit();
    }

    /// <summary>Takes a user out of an organisation, and out of the seats they held in its subscriptions; false when they were no member.</summary>
    public bool RemoveOrganisationMember(Actor actor, string organisation, UserRow user)
    {
        ArgumentNullException.ThrowIfNull(user);
        using var connection = Database.Open();
        using var transaction = connection.BeginTransaction();
        if (connection.Execute("DELETE FROM organisation_members WHERE organisation = @organisation AND user_id = @userId", new { organisation, userId = user.Id }, transaction) != 1)
        {
            return false;
        }

        var seats = connection.Execute(
            "DELETE FROM subscription_seats WHERE user_id = @userId AND subscription_id IN (SELECT id FROM subscriptions WHERE organisation = @organisation)",
            new { organisation, userId = user.Id },
            transaction);
        Audit(connection, transaction, actor, "org.member.remove", null, user.Name, seats == 0 ? null : $"and from {seats} seat(s)", organisation);
        transaction.Commit();
        return true;
    }

    /// <summary>A user's roles in channels and in organisations, in one query (it runs on every request with a key).</summary>
    public (IReadOnlyDictionary<string, ChannelRole> Channels, IReadOnlyDictionary<string, ChannelRole> Organisations) Roles(long userId)
    {
        using var connection = Database.Open();
        var channels = new Dictionary<string, ChannelRole>(StringComparer.Ordinal);
        var organisations = new Dictionary<string, ChannelRole>(StringComparer.Ordinal);
        foreach (var (kind, name, text) in connection.Query<(string Kind, string Name, string Role)>(
            """
            SELECT 'c', channel, role FROM channel_members WHERE user_id = @userId
            UNION ALL SELECT 'o', organisation, role FROM organisation_members WHERE user_id = @userId
            """,
            new { userId }))
        {
            (kind == "c" ? channels : organisations)[name] = ChannelRoles.TryParse(text, out var role) ? role : ChannelRole.None;
        }

        return (channels, organisations);
    }
}
