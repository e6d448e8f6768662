from riskengine.cli.app import main

raise SystemExit(main())
