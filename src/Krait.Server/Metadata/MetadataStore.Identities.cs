using Dapper;

namespace Krait.Server.Metadata;

/// <summary>Sign-in with OpenID Connect: the sign-ins under way (in the database, so that any instance can finish one) and the users people's identities belong to.</summary>
public sealed partial class MetadataStore
{
    /// <summary>How long a sign-in may take from the redirect to the provider to the callback.</summary>
    public static readonly TimeSpan SignInLifetime = TimeSpan.FromMinutes(10);

    public void StartSignIn(string state, string nonce, string verifier, string redirectUri)
    {
        using var connection = Database.Open();
        using var transaction = connection.BeginTransaction();
        connection.Execute("DELETE FROM oidc_logins WHERE created < @oldest", new { oldest = (DateTime.UtcNow - SignInLifetime).ToString("O", System.Globalization.CultureInfo.InvariantCulture) }, transaction);
        connection.Execute(
            "INSERT INTO oidc_logins (state, nonce, verifier, redirect_uri, created) VALUES (@state, @nonce, @verifier, @redirectUri, @created)",
            new { state, nonce, verifier, redirectUri, created = Now() },
            transaction);
        transaction.Commit();
    }

    /// <summary>Takes a sign-in under way out (it is used once), or null when there is none of that state or it is too old.</summary>
    public (string Nonce, string Verifier, string RedirectUri)? FinishSignIn(string state)
    {
        using var connection = Database.Open();
        using var transaction = connection.BeginTransaction();
        var row = connection.QuerySingleOrDefault<(string Nonce, string Verifier, string RedirectUri, string Created)>(
            "SELECT nonce, verifier, redirect_uri, created FROM oidc_logins WHERE state = @state", new { state }, transaction);
        if (row.Nonce is null || connection.Execute("DELETE FROM oidc_logins WHERE state = @state", new { state }, transaction) != 1)
        {
            return null;
        }

        transaction.Commit();
        var created = DateTime.Parse(row.Created, System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.AdjustToUniversal);
        return DateTime.UtcNow - created > SignInLifetime ? null : (row.Nonce, row.Verifier, row.RedirectUri);
    }

    /// <summary>
    /// The user an identity at a provider belongs to; the first time, a new user (never an existing one of the same
    /// name: that would hand a local account to whoever controls the name at the provider), named after
    /// <paramref name="wantedName"/>, with a number added while that is taken.
    /// </summary>
    public UserRow UserOfIdentity(Actor actor, string issuer, string subject, string wantedName)
    {
        using var connection = Database.Open();
        using var transaction = connection.BeginTransaction();
        var known = connection.QuerySingleOrDefault<UserRow>(
            "SELECT users.id AS Id, users.name AS Name, users.is_admin AS IsAdmin FROM user_identities JOIN users ON users.id = user_identities.user_id WHERE issuer = @issuer AND subject = @subject",
            new { issuer, subject },
            transaction);
        if (known is not null)
        {
            return known;
        }

        var name = wantedName;
        for (var n = 2; connection.ExecuteScalar<long>("SELECT COUNT(*) FROM users WHERE name = @name", new { name }, transaction) > 0; n++)
        {
            name = $"{wantedName}-{n}";
        }

        var id = connection.ExecuteScalar<long>("INSERT INTO users (name, is_admin, created) VALUES (@name, 0, @created) RETURNING id", new { name, created = Now() }, transaction);
        connection.Execute(
            "INSERT INTO user_identities (issuer, subject, user_id, linked) VALUES (@issuer, @subject, @id, @linked)", new { issuer, subject, id, linked = Now() }, transaction);
        Audit(connection, transaction, actor, "user.add", null, name, $"signed in with {issuer} as {subject}");
        transaction.Commit();
        return new UserRow { Id = id, Name = name, IsAdmin = false };
    }
}
