-- 0002: what the one-statement append needs (statements.hpp, kAppendGroup; docs/postgres-backend.md,
-- "Appends"). Runs with search_path set to the store's schema.

-- Passes when `holds` is true; otherwise raises SQLSTATE ES001, which rolls the statement back and
-- tells the plugin that the group's optimistic assumptions (every expected version holds) failed,
-- so it decides the group again on the careful path.
CREATE FUNCTION append_assumption(holds boolean) RETURNS boolean LANGUAGE plpgsql VOLATILE AS $$
BEGIN
    IF holds IS NOT TRUE THEN
        RAISE EXCEPTION 'an expected version of the append group does not hold'
            USING ERRCODE = 'ES001';
    END IF;
    RETURN true;
END
$$;
